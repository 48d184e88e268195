import { CalendarQueue } from './calendar-queue.ts';
import { grow } from './grow.ts';

/**
 * The event calendar: events in (time, sequence) order, kept in typed arrays (its order: a calendar
 * queue, calendar-queue.ts).
 *
 * Every scheduled event owns a slot (handler id, payload, sequence number, state, generation); the queue
 * links slots by time. The sequence number, which orders events of equal time in scheduling order, is
 * read only when two times tie. Nothing is allocated per event: slots come from a free list and handlers
 * are dispatched by small-integer id, so a model passes its state as a number (an index into its own
 * typed arrays), not as a closure.
 *
 * Cancellation is lazy: the slot is marked cancelled and its entry is dropped when it reaches the front,
 * which keeps position bookkeeping out of the queue. When cancelled entries outnumber live ones (and
 * there are more than 1024), the queue is rebuilt without them, so its memory stays within 2x of the
 * live events even when most events are cancelled timeouts.
 *
 * Handles pack `slot + generation * 2^24`. A slot's generation is bumped when its event runs or is
 * cancelled, so a stale handle never matches the slot's current event. A slot whose generation would
 * reach 2^29 is retired instead of reused, so handles stay exact integers (< 2^53) and never repeat.
 *
 * An event its owner moves again and again (a node processor's next completion) is better a timer
 * (timer, setTimer, clearTimer): one pending event per timer, in a slot of its own that the queue moves
 * (never freed), that runs exactly where the same event cancelled and scheduled anew would (it takes a
 * sequence number when set), without leaving cancelled entries in the queue.
 */
export type Handler = (payload: number) => void;

const SLOT_BITS = 24;
const SLOT_LIMIT = 2 ** SLOT_BITS;

/** The calendar cannot hold more events: a limit of the model's size, not a fault in the model. */
export class CalendarCapacityError extends RangeError {
  constructor(what: string) {
    super(`Calendar: more than ${SLOT_LIMIT} ${what}`);
  }
}
const GEN_LIMIT = 2 ** 29;
const FREE = 0;
const LIVE = 1;
const CANCELLED = 2;
// A timer's slot (never freed): set (in the queue) or not.
const TIMER_SET = 3;
const TIMER_IDLE = 4;

export class Calendar {
  /** Current simulated time in seconds. Read it freely; only the calendar should write it. */
  now = 0;

  private dead = 0; // cancelled entries still in the queue
  private seq = 0;
  private runningSeq = -1;
  private executed = 0;
  private stopped = false;
  private handlers: Handler[] = [];

  // the order of pending events (live and cancelled), and their times by slot
  private readonly q: CalendarQueue;
  // slots, indexed by slot
  private sHandler: Int32Array;
  private sPayload: Float64Array;
  private sSeq: Float64Array;
  private sGen: Int32Array;
  private sState: Uint8Array;
  private free: Int32Array;
  private freeTop = 0;
  private slotsUsed = 0;
  /** Each timer's slot, by timer id. */
  private timerSlot = new Int32Array(16);
  private timersMade = 0;

  constructor(initialCapacity = 1024) {
    const cap = Math.max(16, Math.min(SLOT_LIMIT, Math.ceil(initialCapacity)));
    this.q = new CalendarQueue(cap);
    this.sHandler = new Int32Array(cap);
    this.sPayload = new Float64Array(cap);
    this.sSeq = new Float64Array(cap);
    this.sGen = new Int32Array(cap);
    this.sState = new Uint8Array(cap);
    this.free = new Int32Array(cap);
  }

  /** Events executed so far. */
  get processed(): number {
    return this.executed;
  }

  /** Events scheduled and neither executed nor cancelled, set timers included. */
  get pending(): number {
    return this.q.size - this.dead;
  }

  /** Time of the next pending event, or Infinity when none. */
  peekTime(): number {
    const top = this.liveTop();
    return top >= 0 ? this.q.time[top]! : Number.POSITIVE_INFINITY;
  }

  /** Makes a timer that runs handler `handlerId` when it fires (see the class comment); returns its id. */
  timer(handlerId: number): number {
    this.checkHandler(handlerId);
    const slot = this.takeSlot();
    this.sHandler[slot] = handlerId;
    this.sState[slot] = TIMER_IDLE;
    if (this.timersMade === this.timerSlot.length) this.timerSlot = grow(this.timerSlot, 2 * this.timersMade);
    this.timerSlot[this.timersMade] = slot;
    return this.timersMade++;
  }

  /**
   * Sets timer `timer` to fire at `time` with `payload`, moving it if it was set: it then runs where an
   * event scheduled now would (after the events of equal time scheduled so far).
   */
  setTimer(timer: number, time: number, payload: number): void {
    if (!(time >= this.now)) {
      throw new RangeError(`setTimer: time must be >= now (${this.now}), got ${time}`);
    }
    if (!(timer >= 0 && timer < this.timersMade && timer === (timer | 0))) {
      throw new RangeError(`setTimer: unknown timer ${timer}`);
    }
    const slot = this.timerSlot[timer]!;
    if (this.sState[slot] === TIMER_SET) this.q.unlink(slot);
    this.sPayload[slot] = payload;
    this.sSeq[slot] = this.seq++;
    this.sState[slot] = TIMER_SET;
    this.q.insert(slot, time, this.sSeq, true);
  }

  /** Unsets a timer (nothing when it is not set). */
  clearTimer(timer: number): void {
    if (!this.timerSet(timer)) return;
    const slot = this.timerSlot[timer]!;
    this.q.unlink(slot);
    this.sState[slot] = TIMER_IDLE;
  }

  /** Whether a timer is set (it fires, or was cleared, once: then it is unset). */
  timerSet(timer: number): boolean {
    return timer >= 0 && timer < this.timersMade && this.sState[this.timerSlot[timer]!] === TIMER_SET;
  }

  /** Registers a handler and returns its id; register once per kind of event, not per event. */
  on(handler: Handler): number {
    this.handlers.push(handler);
    return this.handlers.length - 1;
  }

  /**
   * Sequence number of the event running now (-1 before the first): with its time, where it stands among
   * events of equal time.
   */
  get currentSeq(): number {
    return this.runningSeq;
  }

  /**
   * Takes the next sequence number without scheduling anything: an event scheduled later with it
   * (scheduleAtSeq) sorts among equal times as if it had been scheduled now. A model that settles some
   * events lazily (without an event each) uses it to keep the exact order those events would have had.
   */
  reserveSeq(): number {
    return this.seq++;
  }

  schedule(delay: number, handlerId: number, payload: number): number {
    if (!(delay >= 0)) throw new RangeError(`schedule: delay must be >= 0 seconds, got ${delay}`);
    return this.handle(this.insert(this.now + delay, handlerId, payload));
  }

  scheduleAt(time: number, handlerId: number, payload: number): number {
    if (!(time >= this.now)) {
      throw new RangeError(`scheduleAt: time must be >= now (${this.now}), got ${time}`);
    }
    return this.handle(this.insert(time, handlerId, payload));
  }

  /**
   * schedule() for an event its caller never cancels: no handle. A handle passes 2^31 once its slot has
   * been reused 128 times, and a number that large returned from a call is a heap object: on the
   * request path that was an allocation per event.
   */
  post(delay: number, handlerId: number, payload: number): void {
    if (!(delay >= 0)) throw new RangeError(`post: delay must be >= 0 seconds, got ${delay}`);
    this.insert(this.now + delay, handlerId, payload);
  }

  /** scheduleAt() without a handle (see post). */
  postAt(time: number, handlerId: number, payload: number): void {
    if (!(time >= this.now)) {
      throw new RangeError(`postAt: time must be >= now (${this.now}), got ${time}`);
    }
    this.insert(time, handlerId, payload);
  }

  /** scheduleAt with a sequence number taken earlier by reserveSeq (see there). */
  scheduleAtSeq(time: number, handlerId: number, payload: number, seq: number): number {
    if (!(time >= this.now)) {
      throw new RangeError(`scheduleAtSeq: time must be >= now (${this.now}), got ${time}`);
    }
    if (!(Number.isInteger(seq) && seq >= 0 && seq < this.seq)) {
      throw new RangeError(`scheduleAtSeq: seq must be one reserveSeq returned, got ${seq}`);
    }
    return this.handle(this.insert(time, handlerId, payload, seq));
  }

  /** Cancels a pending event; false when the handle is stale (already ran or cancelled) or unknown. */
  cancel(handle: number): boolean {
    if (!Number.isSafeInteger(handle) || handle < 0) return false;
    const slot = handle % SLOT_LIMIT;
    if (slot >= this.slotsUsed || this.sState[slot] !== LIVE) return false;
    if (this.sGen[slot] !== (handle - slot) / SLOT_LIMIT) return false;
    this.sState[slot] = CANCELLED;
    this.sGen[slot]!++; // the handle is stale from now on; the slot is freed when its entry leaves the queue
    this.dead++;
    if (this.dead > 1024 && this.dead * 2 > this.q.size) this.compact();
    return true;
  }

  /** Runs the next event; false when none is pending. */
  step(): boolean {
    const top = this.liveTop();
    if (top < 0) return false;
    if (this.sState[top] === TIMER_SET) this.runTimer(top);
    else this.runTop(top);
    return true;
  }

  /** Runs events with time <= until; afterwards `now` is `until` if it is finite and run was not stopped. */
  run(until = Number.POSITIVE_INFINITY): void {
    if (Number.isNaN(until)) throw new RangeError('run: until must be a number, got NaN');
    this.stopped = false;
    for (;;) {
      const top = this.liveTop();
      if (!(top >= 0 && this.q.time[top]! <= until)) break;
      if (this.sState[top] === TIMER_SET) this.runTimer(top);
      else this.runTop(top);
      if (this.stopped) return;
    }
    if (until !== Number.POSITIVE_INFINITY && until > this.now) this.now = until;
  }

  /** From inside a handler: make run() return after the current event. */
  stop(): void {
    this.stopped = true;
  }

  /** Runs timer slot `slot` (top() just returned it), unset first so that its handler may set it again. */
  private runTimer(slot: number): void {
    const time = this.q.time[slot]!;
    this.runningSeq = this.sSeq[slot]!;
    this.q.pop(slot, this.sSeq);
    this.sState[slot] = TIMER_IDLE;
    this.now = time;
    this.executed++;
    this.handlers[this.sHandler[slot]!]!(this.sPayload[slot]!);
  }

  /** Pops the (live) front event `slot` and runs it. The slot is freed first, so the handler may reuse it. */
  private runTop(slot: number): void {
    const time = this.q.time[slot]!;
    const handler = this.sHandler[slot]!;
    const payload = this.sPayload[slot]!;
    this.runningSeq = this.sSeq[slot]!;
    this.sGen[slot]!++;
    this.popTop(slot);
    this.now = time;
    this.executed++;
    this.handlers[handler]!(payload);
  }

  /**
   * Removes the front entry `slot` (top() just returned it) and frees its slot (whose generation was
   * already bumped).
   */
  private popTop(slot: number): void {
    if (this.sState[slot] === CANCELLED) this.dead--;
    this.q.pop(slot, this.sSeq);
    this.freeSlot(slot);
  }

  /** The front slot once the cancelled entries before it are dropped (-1: none pending). */
  private liveTop(): number {
    let top = this.q.top();
    while (top >= 0 && this.sState[top] === CANCELLED) {
      this.popTop(top);
      top = this.q.top();
    }
    return top;
  }

  private checkHandler(handlerId: number): void {
    if (!(handlerId >= 0 && handlerId < this.handlers.length) || handlerId !== (handlerId | 0)) {
      throw new RangeError(`schedule: unknown handler id ${handlerId}`);
    }
  }

  private handle(slot: number): number {
    return slot + this.sGen[slot]! * SLOT_LIMIT;
  }

  /** Adds an event; returns its slot. */
  private insert(time: number, handlerId: number, payload: number, seq = -1): number {
    this.checkHandler(handlerId);
    const slot = this.takeSlot();
    this.sHandler[slot] = handlerId;
    this.sPayload[slot] = payload;
    const own = seq < 0;
    this.sSeq[slot] = own ? this.seq++ : seq;
    this.sState[slot] = LIVE;
    // A new event with its own seq has the largest so far; one with a reserved seq compares seqs on a tie.
    this.q.insert(slot, time, this.sSeq, own);
    return slot;
  }

  private takeSlot(): number {
    if (this.freeTop > 0) return this.free[--this.freeTop]!;
    if (this.slotsUsed === this.sGen.length) this.growSlots();
    return this.slotsUsed++;
  }

  private freeSlot(slot: number): void {
    this.sState[slot] = FREE;
    if (this.sGen[slot]! < GEN_LIMIT) this.free[this.freeTop++] = slot;
    // else: retired; its generation matches no handle and it is never reused
  }

  /** Drops every cancelled entry and rebuilds the queue's lists from the rest. */
  private compact(): void {
    const slots = this.q.drain();
    let n = 0;
    for (const slot of slots) {
      if (this.sState[slot] === CANCELLED) this.freeSlot(slot);
      else slots[n++] = slot;
    }
    this.dead = 0;
    this.q.refill(slots.subarray(0, n), this.sSeq);
  }

  private growSlots(): void {
    const old = this.sGen.length;
    if (old >= SLOT_LIMIT) throw new CalendarCapacityError('event slots');
    const cap = Math.min(SLOT_LIMIT, old * 2);
    this.sHandler = grow(this.sHandler, cap);
    this.sPayload = grow(this.sPayload, cap);
    this.sSeq = grow(this.sSeq, cap);
    this.sGen = grow(this.sGen, cap);
    this.sState = grow(this.sState, cap);
    this.free = grow(this.free, cap);
    this.q.growSlots(cap);
  }
}
