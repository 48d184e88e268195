import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Calendar, RandomStreams } from '../../sim/index.ts';

/**
 * The calendar's queue (sim/calendar-queue.ts) at the sizes and time scales where its buckets resize,
 * re-estimate their width and fall back to a search: every event must still run in (time, sequence)
 * order, which a sorted list gives here.
 */
class SortedModel {
  private readonly items: { time: number; seq: number; payload: number }[] = [];
  add(time: number, seq: number, payload: number): void {
    const at = this.items.findIndex((e) => e.time > time || (e.time === time && e.seq > seq));
    this.items.splice(at < 0 ? this.items.length : at, 0, { time, seq, payload });
  }
  remove(payload: number): void {
    const i = this.items.findIndex((e) => e.payload === payload);
    if (i >= 0) this.items.splice(i, 1);
  }
  shift(): { time: number; payload: number } | undefined {
    return this.items.shift();
  }
  /** The payloads of every event at or before `until`, taken off in order. */
  until(until: number): number[] {
    const n = this.items.findIndex((e) => e.time > until);
    return this.items.splice(0, n < 0 ? this.items.length : n).map((e) => e.payload);
  }
  get size(): number {
    return this.items.length;
  }
}

interface Shape {
  seed: number;
  /** Mean delay of the bulk of events, in seconds. */
  scale: number;
  /** Pending events the run climbs to before it drains. */
  peak: number;
  zeroShare: number;
  farShare: number;
  cancelShare: number;
}

function runShape(shape: Shape): void {
  const rng = new RandomStreams(shape.seed).stream('calendar-queue');
  const cal = new Calendar(16);
  const model = new SortedModel();
  const ran: number[] = [];
  const on = cal.on((p) => ran.push(p));
  const handles = new Map<number, number>();
  // Timers, moved as a node's processor moves its next completion: a move is the old event cancelled
  // and a new one scheduled (Calendar.setTimer), which the model does literally.
  const timers = Array.from({ length: 8 }, () => cal.timer(on));
  const timerAt = new Map<number, number>(); // timer -> the payload it is set with
  const moveTimer = () => {
    const k = Math.floor(rng.next() * timers.length);
    const was = timerAt.get(k);
    if (was !== undefined && !ran.includes(was)) model.remove(was);
    if (rng.next() < 0.2) {
      cal.clearTimer(timers[k]!);
      timerAt.delete(k);
      return;
    }
    const d = delay();
    cal.setTimer(timers[k]!, cal.now + d, payload);
    model.add(cal.now + d, seq++, payload);
    timerAt.set(k, payload++);
  };
  let seq = 0; // the calendar's own count of sequence numbers, mirrored
  let payload = 0;
  const delay = (): number => {
    const u = rng.next();
    if (u < shape.zeroShare) return 0;
    if (u < shape.zeroShare + shape.farShare)
      return rng.next() < 0.1 ? Number.POSITIVE_INFINITY : shape.scale * 1e4 * rng.next();
    // the bulk: exponential, its scale moving over the run, as a cluster's event density does
    const drift = 1 + 9 * Math.sin((payload / (4 * shape.peak)) * Math.PI) ** 2;
    return -Math.log(1 - rng.next()) * shape.scale * drift;
  };
  const schedule = () => {
    const d = delay();
    if (rng.next() < 0.05) {
      // an event placed with a sequence number reserved earlier (server-bank.ts holds)
      const reserved = cal.reserveSeq();
      const r = seq++;
      expect(reserved).toBe(r);
      cal.scheduleAtSeq(cal.now + d, on, payload, reserved);
      model.add(cal.now + d, r, payload);
    } else {
      handles.set(payload, cal.schedule(d, on, payload));
      model.add(cal.now + d, seq++, payload);
    }
    payload++;
  };
  const step = () => {
    const next = model.shift();
    expect(cal.step()).toBe(next !== undefined);
    if (next === undefined) return;
    expect(ran.at(-1)).toBe(next.payload);
    expect(cal.now).toBe(next.time);
  };
  for (let round = 0; round < 2; round++) {
    // climb to the peak, then fall back while scheduling, then drain
    while (model.size < shape.peak) {
      schedule();
      if (rng.next() < 0.3) step();
      if (rng.next() < 0.3) moveTimer();
      if (rng.next() < shape.cancelShare && handles.size > 0) {
        const pick = Math.floor(rng.next() * payload);
        const h = handles.get(pick);
        if (h !== undefined) {
          const cancelled = cal.cancel(h);
          // a handle whose event ran is stale
          expect(cancelled).toBe(!ran.includes(pick));
          if (cancelled) model.remove(pick);
          handles.delete(pick);
        }
      }
    }
    for (let i = 0; i < shape.peak; i++) {
      step();
      if (i % 3 === 0) schedule();
      if (i % 5 === 0) moveTimer();
    }
    expect(cal.pending).toBe(model.size);
    // a slice of the run to a time between events, as Replication.runTo does
    const until = cal.now + shape.scale * 3;
    const before = ran.length;
    cal.run(until);
    expect(ran.slice(before)).toEqual(model.until(until));
    expect(cal.now).toBe(until);
  }
  const before = ran.length;
  cal.run();
  expect(ran.slice(before)).toEqual(model.until(Number.POSITIVE_INFINITY));
  expect(cal.pending).toBe(0);
}

describe('Calendar queue: resizing, width estimates and sparse events keep the (time, sequence) order', () => {
  it('random shapes of load agree with a sorted list', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer(),
          scale: fc.constantFrom(1e-6, 1e-3, 1, 1e3),
          peak: fc.constantFrom(50, 700, 3000),
          zeroShare: fc.constantFrom(0, 0.15, 0.6),
          farShare: fc.constantFrom(0, 0.02, 0.3),
          cancelShare: fc.constantFrom(0, 0.2, 0.9),
        }),
        (shape) => runShape(shape),
      ),
      { numRuns: 30, seed: 20261203 },
    );
  });

  it('finds an event far past a round of buckets (the sparse case) and comes back for nearer ones', () => {
    const cal = new Calendar(16);
    const ran: number[] = [];
    const on = cal.on((p) => {
      ran.push(p);
      // from the far event, one just after it, then one much later again
      if (p === 2) cal.schedule(1e-6, on, 3);
    });
    for (let i = 0; i < 200; i++) cal.schedule(i * 1e-6, on, 1);
    cal.schedule(1e6, on, 2);
    cal.scheduleAt(2e9, on, 4);
    cal.run(1);
    expect(ran.length).toBe(200);
    cal.scheduleAt(5, on, 5); // nearer than the two left, after a peek went past them
    expect(cal.peekTime()).toBe(5);
    cal.run();
    expect(ran.slice(200)).toEqual([5, 2, 3, 4]);
    expect(cal.now).toBe(2e9);
  });
});
