import type { Calendar } from './calendar.ts';
import { Welford } from './stats/welford.ts';

/** Outcome of ServerQueue.acquire. */
export const GRANTED = 0;
export const QUEUED = 1;
export const REJECTED = 2;

export interface QueueStats {
  /** Busy server-time over available server-time (follows setServers). */
  utilisation: number;
  meanBusy: number;
  meanWaiting: number;
  /** Waits in line of granted tokens, immediate grants counted as 0. */
  waits: { count: number; mean: number; variance: number; max: number };
  rejected: number;
  granted: number;
}

/**
 * c identical servers in front of one FIFO line, optionally bounded (maxWaiting tokens; more are rejected).
 * Tokens are numbers owned by the caller. The line is a growable ring buffer of typed arrays: no allocation
 * per token. Busy servers and line length are integrated exactly over cal.now.
 *
 * Grants are delivered by a trampoline, never by recursion: a waiter is taken off the line (and its wait
 * recorded) the moment a server passes to it, but its onGrant runs only once the onGrant in progress has
 * returned. So a callback that releases again (a failing attempt that gives its server straight back) adds
 * one grant to a short list instead of a stack frame, and a line of any length drains in constant stack.
 */
export class ServerQueue {
  private cal: Calendar;
  private onGrant: (token: number, waited: number) => void;
  private maxWaiting: number;
  private nServers: number;
  private nBusy = 0;

  private tokens: Float64Array;
  private since: Float64Array;
  private head = 0;
  private size = 0;

  private t0: number;
  private last: number;
  private busyArea = 0;
  private waitArea = 0;
  private capacityArea = 0;
  private nRejected = 0;
  private waitStats = new Welford();

  // grants taken off the line whose onGrant has not run yet (the trampoline), in grant order
  private dueTokens = new Float64Array(16);
  private dueWaited = new Float64Array(16);
  private dueHead = 0;
  private dueSize = 0;
  private delivering = false;

  constructor(
    cal: Calendar,
    servers: number,
    onGrant: (token: number, waited: number) => void,
    maxWaiting = Number.POSITIVE_INFINITY,
  ) {
    checkServers(servers);
    if (!(maxWaiting >= 0)) throw new RangeError(`ServerQueue: maxWaiting must be >= 0, got ${maxWaiting}`);
    this.cal = cal;
    this.nServers = servers;
    this.onGrant = onGrant;
    this.maxWaiting = maxWaiting;
    this.tokens = new Float64Array(64);
    this.since = new Float64Array(64);
    this.t0 = this.last = cal.now;
  }

  get servers(): number {
    return this.nServers;
  }
  get busy(): number {
    return this.nBusy;
  }
  get waiting(): number {
    return this.size;
  }

  /** 0: granted now (onGrant not called); 1: queued (onGrant called from a later release); 2: rejected. */
  acquire(token: number): 0 | 1 | 2 {
    const now = this.cal.now;
    if (this.nBusy < this.nServers) {
      this.advance(now);
      this.nBusy++;
      this.waitStats.add(0);
      return GRANTED;
    }
    if (this.size >= this.maxWaiting) {
      this.nRejected++;
      return REJECTED;
    }
    this.advance(now);
    if (this.size === this.tokens.length) this.growLine();
    const cap = this.tokens.length;
    let tail = this.head + this.size;
    if (tail >= cap) tail -= cap;
    this.tokens[tail] = token;
    this.since[tail] = now;
    this.size++;
    return QUEUED;
  }

  /**
   * Frees a server; the oldest waiting token, if any, takes it. Its onGrant runs before release returns,
   * except when release is called from inside an onGrant: then it runs right after that onGrant returns.
   */
  release(): void {
    if (this.nBusy <= 0) throw new RangeError('ServerQueue.release: no server is busy');
    this.advance(this.cal.now);
    if (this.size > 0 && this.nBusy <= this.nServers) {
      if (this.delivering || this.dueSize > 0) {
        this.grantNext();
        this.deliver();
      } else this.grantNow();
    } else this.nBusy--;
  }

  /** Changes the number of servers now. Extra busy servers finish their work; new ones take waiters. */
  setServers(n: number): void {
    checkServers(n);
    this.advance(this.cal.now);
    this.nServers = n;
    while (this.size > 0 && this.nBusy < this.nServers) {
      this.nBusy++;
      this.grantNext();
    }
    this.deliver();
  }

  /** Removes and returns all waiting tokens, oldest first (they are neither granted nor rejected). */
  drain(): number[] {
    this.advance(this.cal.now);
    const out: number[] = [];
    while (this.size > 0) {
      out.push(this.tokens[this.head]!);
      this.pop();
    }
    return out;
  }

  stats(now: number): QueueStats {
    const span = now - this.t0;
    const dt = now - this.last;
    const busyArea = this.busyArea + this.nBusy * dt;
    const capArea = this.capacityArea + this.nServers * dt;
    const w = this.waitStats;
    return {
      utilisation: capArea > 0 ? busyArea / capArea : 0,
      meanBusy: span > 0 ? busyArea / span : this.nBusy,
      meanWaiting: span > 0 ? (this.waitArea + this.size * dt) / span : this.size,
      waits: { count: w.count, mean: w.mean, variance: w.variance, max: w.count > 0 ? w.max : 0 },
      rejected: this.nRejected,
      granted: w.count,
    };
  }

  /** Forgets everything measured so far (warm-up); the queue's state is kept. */
  resetStats(now: number): void {
    this.t0 = this.last = now;
    this.busyArea = this.waitArea = this.capacityArea = 0;
    this.nRejected = 0;
    this.waitStats.reset();
  }

  /** The server stays busy and passes to the oldest waiter, whose onGrant is queued for deliver(). */
  private grantNext(): void {
    const token = this.tokens[this.head]!;
    const waited = this.cal.now - this.since[this.head]!;
    this.pop();
    this.waitStats.add(waited);
    if (this.dueHead + this.dueSize === this.dueTokens.length) this.growDue();
    const at = this.dueHead + this.dueSize++;
    this.dueTokens[at] = token;
    this.dueWaited[at] = waited;
  }

  /** grantNext + deliver without the round trip through the due list (the common, non-nested case). */
  private grantNow(): void {
    const token = this.tokens[this.head]!;
    const waited = this.cal.now - this.since[this.head]!;
    this.pop();
    this.waitStats.add(waited);
    this.delivering = true;
    try {
      this.onGrant(token, waited);
      this.runDue();
    } finally {
      this.delivering = false;
    }
  }

  /** Runs the queued onGrant callbacks in grant order, unless an outer call is already doing so. */
  private deliver(): void {
    if (this.delivering) return;
    this.delivering = true;
    try {
      this.runDue();
    } finally {
      // a throwing onGrant leaves the grants after it queued; the next release or setServers delivers them
      this.delivering = false;
    }
  }

  private runDue(): void {
    while (this.dueSize > 0) {
      const at = this.dueHead++;
      this.dueSize--;
      this.onGrant(this.dueTokens[at]!, this.dueWaited[at]!);
    }
    this.dueHead = 0;
  }

  /** Makes room at the end of the due list: slides it to the front, or doubles it when it is half full. */
  private growDue(): void {
    const n = this.dueSize;
    const from = this.dueHead;
    if (n * 2 <= this.dueTokens.length) {
      this.dueTokens.copyWithin(0, from, from + n);
      this.dueWaited.copyWithin(0, from, from + n);
    } else {
      const tokens = new Float64Array(this.dueTokens.length * 2);
      const waited = new Float64Array(this.dueTokens.length * 2);
      tokens.set(this.dueTokens.subarray(from, from + n));
      waited.set(this.dueWaited.subarray(from, from + n));
      this.dueTokens = tokens;
      this.dueWaited = waited;
    }
    this.dueHead = 0;
  }

  private pop(): void {
    this.size--;
    this.head = this.head + 1 === this.tokens.length ? 0 : this.head + 1;
  }

  private advance(now: number): void {
    const dt = now - this.last;
    if (dt > 0) {
      this.busyArea += this.nBusy * dt;
      this.waitArea += this.size * dt;
      this.capacityArea += this.nServers * dt;
      this.last = now;
    }
  }

  private growLine(): void {
    const cap = this.tokens.length;
    const tokens = new Float64Array(cap * 2);
    const since = new Float64Array(cap * 2);
    for (let i = 0; i < this.size; i++) {
      const j = (this.head + i) % cap;
      tokens[i] = this.tokens[j]!;
      since[i] = this.since[j]!;
    }
    this.tokens = tokens;
    this.since = since;
    this.head = 0;
  }
}

function checkServers(n: number): void {
  if (!(Number.isInteger(n) && n >= 0)) {
    throw new RangeError(`ServerQueue: servers must be an integer >= 0, got ${n}`);
  }
}
