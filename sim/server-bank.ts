import type { Calendar } from './calendar.ts';

/**
 * Many independent queues, each c identical servers in front of one FIFO line, kept together in typed
 * arrays (struct of arrays): a model with tens of thousands of small queues touches a few numbers per
 * operation instead of an object per queue, and nothing is allocated per token.
 *
 * A granted server is freed either by release(q), or by hold(q, until): it stays busy until `until` and
 * then frees itself without an event of its own. Held servers are looked at lazily: an acquire that
 * finds every server busy first frees those whose hold has ended, and only a token left waiting behind
 * holds makes the bank schedule one wake-up (at the earliest end) to pass the freed server on. Under
 * light load (a free server, or one whose hold has ended, for most tokens) a hold costs no event, where a
 * release at the same time would cost one. Each hold takes a calendar sequence number when it starts
 * (Calendar.reserveSeq): a hold ends at (until, that number), and its wake-up is scheduled with it, so
 * even among events of equal time everything happens in the order a release event scheduled at hold()
 * would have given: same grants, same times, same order.
 *
 * onGrant(q, token, waited) runs when a waiting token gets a server (an immediate grant is acquire's
 * return value instead). Grants are delivered by a trampoline, as ServerQueue's: a release from inside an
 * onGrant (a failing call giving its server straight back) takes the next waiter off the line at once but
 * runs its onGrant after the current one returns, so a line of any length drains in constant stack.
 */
export class ServerBank {
  private readonly cal: Calendar;
  private readonly onGrant: (q: number, token: number, waited: number) => void;
  private readonly wakeId: number;
  private readonly nServers: Int32Array;
  private readonly nBusy: Int32Array;
  // Holds of queue q in slots [holdBase[q], holdBase[q] + holdN[q]): their end times.
  private readonly holdBase: Int32Array;
  private readonly holdN: Int32Array;
  private readonly holdEnd: Float64Array;
  private readonly holdSeq: Float64Array;
  /** The pending wake-up's handle (-1: none) and time. */
  private readonly wake: Float64Array;
  private readonly wakeAt: Float64Array;
  private readonly wakeSeq: Float64Array;
  // Lines: singly linked lists through shared cells, each cell one waiting token.
  private readonly head: Int32Array;
  private readonly tail: Int32Array;
  private readonly waitingN: Int32Array;
  private cellToken = new Float64Array(64);
  private cellSince = new Float64Array(64);
  private cellNext = new Int32Array(64);
  private freeCell = -1;
  private cellsUsed = 0;
  // Grants whose onGrant has not run yet (the trampoline), in grant order.
  private dueQ = new Int32Array(16);
  private dueToken = new Float64Array(16);
  private dueWaited = new Float64Array(16);
  private dueN = 0;
  private delivering = false;

  constructor(
    cal: Calendar,
    servers: ArrayLike<number>,
    onGrant: (q: number, token: number, waited: number) => void,
  ) {
    const n = servers.length;
    this.cal = cal;
    this.onGrant = onGrant;
    this.nServers = new Int32Array(n);
    this.holdBase = new Int32Array(n + 1);
    for (let q = 0; q < n; q++) {
      const c = servers[q]!;
      if (!(Number.isInteger(c) && c >= 0)) {
        throw new RangeError(`ServerBank: servers of queue ${q} must be an integer >= 0, got ${c}`);
      }
      this.nServers[q] = c;
      this.holdBase[q + 1] = this.holdBase[q]! + c;
    }
    this.nBusy = new Int32Array(n);
    this.holdN = new Int32Array(n);
    this.holdEnd = new Float64Array(this.holdBase[n]!);
    this.holdSeq = new Float64Array(this.holdBase[n]!);
    this.wake = new Float64Array(n).fill(-1);
    this.wakeAt = new Float64Array(n);
    this.wakeSeq = new Float64Array(n);
    this.head = new Int32Array(n).fill(-1);
    this.tail = new Int32Array(n).fill(-1);
    this.waitingN = new Int32Array(n);
    this.wakeId = cal.on((q) => this.woken(q));
  }

  get queues(): number {
    return this.nServers.length;
  }

  servers(q: number): number {
    return this.nServers[q]!;
  }

  /** Servers of queue q busy now (held servers whose hold has ended count as free). */
  busy(q: number): number {
    if (this.holdN[q]! > 0) this.expire(q);
    return this.nBusy[q]!;
  }

  waiting(q: number): number {
    return this.waitingN[q]!;
  }

  /** True: token has a server of queue q now (onGrant is not called). False: it waits in line. */
  acquire(q: number, token: number): boolean {
    if (this.nBusy[q]! < this.nServers[q]!) {
      this.nBusy[q]!++;
      return true;
    }
    if (this.holdN[q]! > 0 && this.expire(q) > 0) {
      this.nBusy[q]!++;
      return true;
    }
    this.push(q, token);
    if (this.holdN[q]! > 0) this.wakeFor(q);
    return false;
  }

  /** A busy server of queue q frees now; the oldest waiting token, if any, takes it. */
  release(q: number): void {
    if (this.nBusy[q]! - this.holdN[q]! <= 0) {
      throw new RangeError(`ServerBank.release: no server of queue ${q} is busy unheld`);
    }
    if (this.waitingN[q]! > 0) this.grantNext(q);
    else this.nBusy[q]!--;
  }

  /** A busy server of queue q stays busy until `until` (>= now), then frees itself (see the class). */
  hold(q: number, until: number): void {
    const n = this.holdN[q]!;
    if (n >= this.nBusy[q]!) throw new RangeError(`ServerBank.hold: no server of queue ${q} is busy unheld`);
    if (!(until >= this.cal.now)) throw new RangeError(`ServerBank.hold: until ${until} is before now`);
    this.holdEnd[this.holdBase[q]! + n] = until;
    this.holdSeq[this.holdBase[q]! + n] = this.cal.reserveSeq();
    this.holdN[q] = n + 1;
    if (this.waitingN[q]! > 0) this.wakeFor(q);
  }

  /** Removes and returns the tokens waiting for q, oldest first (they are neither granted nor rejected). */
  drain(q: number): number[] {
    const out: number[] = [];
    for (let c = this.head[q]!; c >= 0; ) {
      out.push(this.cellToken[c]!);
      const next = this.cellNext[c]!;
      this.cellNext[c] = this.freeCell;
      this.freeCell = c;
      c = next;
    }
    this.head[q] = this.tail[q] = -1;
    this.waitingN[q] = 0;
    return out;
  }

  /**
   * Drops the holds of q that have ended (their servers become free); returns how many servers that
   * freed. A hold ending at this very time has ended if it comes before the running event (sequence).
   */
  private expire(q: number): number {
    const now = this.cal.now;
    const seq = this.cal.currentSeq;
    const base = this.holdBase[q]!;
    let n = this.holdN[q]!;
    let freed = 0;
    for (let i = base; i < base + n; ) {
      const end = this.holdEnd[i]!;
      if (end < now || (end === now && this.holdSeq[i]! <= seq)) {
        n--;
        freed++;
        this.holdEnd[i] = this.holdEnd[base + n]!;
        this.holdSeq[i] = this.holdSeq[base + n]!;
      } else i++;
    }
    this.holdN[q] = n;
    this.nBusy[q]! -= freed;
    return freed;
  }

  /** A token waits behind holds: make sure a wake-up comes when the earliest ends. */
  private wakeFor(q: number): void {
    const base = this.holdBase[q]!;
    let first = base;
    for (let i = base + 1; i < base + this.holdN[q]!; i++) {
      const end = this.holdEnd[i]!;
      const e0 = this.holdEnd[first]!;
      if (end < e0 || (end === e0 && this.holdSeq[i]! < this.holdSeq[first]!)) first = i;
    }
    const at = this.holdEnd[first]!;
    const seq = this.holdSeq[first]!;
    const pending = this.wake[q]!;
    if (pending >= 0) {
      const a0 = this.wakeAt[q]!;
      if (a0 < at || (a0 === at && this.wakeSeq[q]! <= seq)) return;
      this.cal.cancel(pending);
    }
    this.wakeAt[q] = at;
    this.wakeSeq[q] = seq;
    this.wake[q] = this.cal.scheduleAtSeq(at, this.wakeId, q, seq);
  }

  private woken(q: number): void {
    this.wake[q] = -1;
    let freed = this.expire(q);
    while (freed > 0 && this.waitingN[q]! > 0) {
      freed--;
      this.nBusy[q]!++;
      this.grantNext(q);
    }
    if (this.waitingN[q]! > 0 && this.holdN[q]! > 0) this.wakeFor(q);
  }

  /** The server stays busy and passes to the oldest waiting token. */
  private grantNext(q: number): void {
    const c = this.head[q]!;
    const token = this.cellToken[c]!;
    const waited = this.cal.now - this.cellSince[c]!;
    this.head[q] = this.cellNext[c]!;
    if (this.head[q] === -1) this.tail[q] = -1;
    this.waitingN[q]!--;
    this.cellNext[c] = this.freeCell;
    this.freeCell = c;
    if (this.delivering) {
      this.due(q, token, waited);
      return;
    }
    this.delivering = true;
    try {
      this.onGrant(q, token, waited);
      // Grants made while it ran, oldest first; those may add more.
      for (let i = 0; i < this.dueN; i++) this.onGrant(this.dueQ[i]!, this.dueToken[i]!, this.dueWaited[i]!);
    } finally {
      this.dueN = 0;
      this.delivering = false;
    }
  }

  private due(q: number, token: number, waited: number): void {
    if (this.dueN === this.dueQ.length) {
      const n = this.dueN * 2;
      const dq = new Int32Array(n);
      const dt = new Float64Array(n);
      const dw = new Float64Array(n);
      dq.set(this.dueQ);
      dt.set(this.dueToken);
      dw.set(this.dueWaited);
      this.dueQ = dq;
      this.dueToken = dt;
      this.dueWaited = dw;
    }
    this.dueQ[this.dueN] = q;
    this.dueToken[this.dueN] = token;
    this.dueWaited[this.dueN] = waited;
    this.dueN++;
  }

  private push(q: number, token: number): void {
    let c = this.freeCell;
    if (c >= 0) this.freeCell = this.cellNext[c]!;
    else {
      if (this.cellsUsed === this.cellToken.length) this.growCells();
      c = this.cellsUsed++;
    }
    this.cellToken[c] = token;
    this.cellSince[c] = this.cal.now;
    this.cellNext[c] = -1;
    const t = this.tail[q]!;
    if (t >= 0) this.cellNext[t] = c;
    else this.head[q] = c;
    this.tail[q] = c;
    this.waitingN[q]!++;
  }

  private growCells(): void {
    const n = this.cellToken.length * 2;
    const token = new Float64Array(n);
    const since = new Float64Array(n);
    const next = new Int32Array(n);
    token.set(this.cellToken);
    since.set(this.cellSince);
    next.set(this.cellNext);
    this.cellToken = token;
    this.cellSince = since;
    this.cellNext = next;
  }
}
