import type { Calendar } from './calendar.ts';
import { grow } from './grow.ts';

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
// Per-queue fields, interleaved in one Int32Array (8 per queue: one cache line holds a queue's state,
// where a separate array per field costs a cache miss per field on a large bank).
const SERVERS = 0;
const BUSY = 1;
const HOLDS = 2;
const WAITING = 3;
const HOLD_BASE = 4;
const HEAD = 5;
const TAIL = 6;
const STRIDE = 8;

export class ServerBank {
  private readonly cal: Calendar;
  private readonly onGrant: (q: number, token: number, waited: number) => void;
  private readonly wakeId: number;
  private readonly st: Int32Array;
  /** Holds of queue q: (end, seq) pairs from 2 * st[HOLD_BASE], st[HOLDS] of them. */
  private readonly hold2: Float64Array;
  /** The pending wake-up of each queue: (handle or -1, time, seq). */
  private readonly wake3: Float64Array;
  // Lines: singly linked lists through shared cells, each cell one waiting token.
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
    this.st = new Int32Array(n * STRIDE);
    let holds = 0;
    for (let q = 0; q < n; q++) {
      const c = servers[q]!;
      if (!(Number.isInteger(c) && c >= 0)) {
        throw new RangeError(`ServerBank: servers of queue ${q} must be an integer >= 0, got ${c}`);
      }
      const at = q * STRIDE;
      this.st[at + SERVERS] = c;
      this.st[at + HOLD_BASE] = holds;
      this.st[at + HEAD] = -1;
      this.st[at + TAIL] = -1;
      holds += c;
    }
    this.hold2 = new Float64Array(2 * holds);
    this.wake3 = new Float64Array(3 * n);
    for (let q = 0; q < n; q++) this.wake3[3 * q] = -1;
    this.wakeId = cal.on((q) => this.woken(q));
  }

  get queues(): number {
    return this.st.length / STRIDE;
  }

  servers(q: number): number {
    return this.st[q * STRIDE + SERVERS]!;
  }

  /** Servers of queue q busy now (held servers whose hold has ended count as free). */
  busy(q: number): number {
    if (this.st[q * STRIDE + HOLDS]! > 0) this.expire(q);
    return this.st[q * STRIDE + BUSY]!;
  }

  waiting(q: number): number {
    return this.st[q * STRIDE + WAITING]!;
  }

  /** True: token has a server of queue q now (onGrant is not called). False: it waits in line. */
  acquire(q: number, token: number): boolean {
    const st = this.st;
    const at = q * STRIDE;
    if (st[at + BUSY]! < st[at + SERVERS]!) {
      st[at + BUSY]!++;
      return true;
    }
    if (st[at + HOLDS]! > 0 && this.expire(q) > 0) {
      st[at + BUSY]!++;
      return true;
    }
    this.push(q, token);
    if (st[at + HOLDS]! > 0) this.wakeFor(q);
    return false;
  }

  /** A busy server of queue q frees now; the oldest waiting token, if any, takes it. */
  release(q: number): void {
    const st = this.st;
    const at = q * STRIDE;
    if (st[at + BUSY]! - st[at + HOLDS]! <= 0) {
      throw new RangeError(`ServerBank.release: no server of queue ${q} is busy unheld`);
    }
    if (st[at + WAITING]! > 0) this.grantNext(q);
    else st[at + BUSY]!--;
  }

  /** A busy server of queue q stays busy until `until` (>= now), then frees itself (see the class). */
  hold(q: number, until: number): void {
    const st = this.st;
    const at = q * STRIDE;
    const n = st[at + HOLDS]!;
    if (n >= st[at + BUSY]!) throw new RangeError(`ServerBank.hold: no server of queue ${q} is busy unheld`);
    if (!(until >= this.cal.now)) throw new RangeError(`ServerBank.hold: until ${until} is before now`);
    const h = 2 * (st[at + HOLD_BASE]! + n);
    this.hold2[h] = until;
    this.hold2[h + 1] = this.cal.reserveSeq();
    st[at + HOLDS] = n + 1;
    if (st[at + WAITING]! > 0) this.wakeFor(q);
  }

  /** Removes and returns the tokens waiting for q, oldest first (they are neither granted nor rejected). */
  drain(q: number): number[] {
    const st = this.st;
    const at = q * STRIDE;
    const out: number[] = [];
    for (let c = st[at + HEAD]!; c >= 0; ) {
      out.push(this.cellToken[c]!);
      const next = this.cellNext[c]!;
      this.cellNext[c] = this.freeCell;
      this.freeCell = c;
      c = next;
    }
    st[at + HEAD] = st[at + TAIL] = -1;
    st[at + WAITING] = 0;
    return out;
  }

  /**
   * Drops the holds of q that have ended (their servers become free); returns how many servers that
   * freed. A hold ending at this very time has ended if it comes before the running event (sequence).
   */
  private expire(q: number): number {
    const now = this.cal.now;
    const seq = this.cal.currentSeq;
    const st = this.st;
    const at = q * STRIDE;
    const h = this.hold2;
    const base = 2 * st[at + HOLD_BASE]!;
    let n = st[at + HOLDS]!;
    let freed = 0;
    for (let i = base; i < base + 2 * n; ) {
      const end = h[i]!;
      if (end < now || (end === now && h[i + 1]! <= seq)) {
        n--;
        freed++;
        h[i] = h[base + 2 * n]!;
        h[i + 1] = h[base + 2 * n + 1]!;
      } else i += 2;
    }
    st[at + HOLDS] = n;
    st[at + BUSY]! -= freed;
    return freed;
  }

  /** A token waits behind holds: make sure a wake-up comes when the earliest ends. */
  private wakeFor(q: number): void {
    const h = this.hold2;
    const at = q * STRIDE;
    const base = 2 * this.st[at + HOLD_BASE]!;
    const end = base + 2 * this.st[at + HOLDS]!;
    let first = base;
    for (let i = base + 2; i < end; i += 2) {
      if (h[i]! < h[first]! || (h[i] === h[first] && h[i + 1]! < h[first + 1]!)) first = i;
    }
    const time = h[first]!;
    const seq = h[first + 1]!;
    const w = this.wake3;
    const pending = w[3 * q]!;
    if (pending >= 0) {
      const t0 = w[3 * q + 1]!;
      if (t0 < time || (t0 === time && w[3 * q + 2]! <= seq)) return;
      this.cal.cancel(pending);
    }
    w[3 * q + 1] = time;
    w[3 * q + 2] = seq;
    w[3 * q] = this.cal.scheduleAtSeq(time, this.wakeId, q, seq);
  }

  private woken(q: number): void {
    const st = this.st;
    const at = q * STRIDE;
    this.wake3[3 * q] = -1;
    let freed = this.expire(q);
    while (freed > 0 && st[at + WAITING]! > 0) {
      freed--;
      st[at + BUSY]!++;
      this.grantNext(q);
    }
    if (st[at + WAITING]! > 0 && st[at + HOLDS]! > 0) this.wakeFor(q);
  }

  /** The server stays busy and passes to the oldest waiting token. */
  private grantNext(q: number): void {
    const st = this.st;
    const at = q * STRIDE;
    const c = st[at + HEAD]!;
    const token = this.cellToken[c]!;
    const waited = this.cal.now - this.cellSince[c]!;
    st[at + HEAD] = this.cellNext[c]!;
    if (st[at + HEAD] === -1) st[at + TAIL] = -1;
    st[at + WAITING]!--;
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
      this.dueQ = grow(this.dueQ, n);
      this.dueToken = grow(this.dueToken, n);
      this.dueWaited = grow(this.dueWaited, n);
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
    const at = q * STRIDE;
    const t = this.st[at + TAIL]!;
    if (t >= 0) this.cellNext[t] = c;
    else this.st[at + HEAD] = c;
    this.st[at + TAIL] = c;
    this.st[at + WAITING]!++;
  }

  private growCells(): void {
    const n = this.cellToken.length * 2;
    this.cellToken = grow(this.cellToken, n);
    this.cellSince = grow(this.cellSince, n);
    this.cellNext = grow(this.cellNext, n);
  }
}
