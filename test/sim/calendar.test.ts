import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Calendar, RandomStreams } from '../../sim/index.ts';

/** The obvious model: an unsorted list, the minimum by (time, scheduling order) runs next. */
class NaiveCalendar {
  now = 0;
  private seq = 0;
  events: { time: number; seq: number; payload: number; handle: number }[] = [];
  schedule(delay: number, payload: number, handle: number): void {
    this.events.push({ time: this.now + delay, seq: this.seq++, payload, handle });
  }
  cancel(handle: number): boolean {
    const i = this.events.findIndex((e) => e.handle === handle);
    if (i < 0) return false;
    this.events.splice(i, 1);
    return true;
  }
  step(): number | undefined {
    if (this.events.length === 0) return undefined;
    let best = 0;
    this.events.forEach((e, i) => {
      const b = this.events[best]!;
      if (e.time < b.time || (e.time === b.time && e.seq < b.seq)) best = i;
    });
    const [e] = this.events.splice(best, 1);
    this.now = e!.time;
    return e!.payload;
  }
}

type Op = { kind: 'schedule'; delay: number } | { kind: 'cancel'; pick: number } | { kind: 'step' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  // few distinct delays, so equal times (FIFO ties) are common; infinite ones too, whose bucket number
  // the calendar queue caps (calendar-queue.ts V_LIMIT)
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('schedule' as const),
      delay: fc.constantFrom(0, 0.5, 1, 2, 3, Number.POSITIVE_INFINITY),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('step' as const) }) },
);

function checkAgainstModel(ops: Op[], initialCapacity: number): void {
  const cal = new Calendar(initialCapacity);
  const model = new NaiveCalendar();
  const ran: number[] = [];
  const id = cal.on((p) => ran.push(p));
  const handles: number[] = [];
  let payload = 0;
  for (const op of ops) {
    if (op.kind === 'schedule') {
      const h = cal.schedule(op.delay, id, payload);
      model.schedule(op.delay, payload, h);
      handles.push(h);
      payload++;
    } else if (op.kind === 'cancel') {
      if (handles.length === 0) continue;
      // any handle ever issued: pending, already run, or already cancelled (stale)
      const h = handles[op.pick % handles.length]!;
      expect(cal.cancel(h)).toBe(model.cancel(h));
    } else {
      const expected = model.step();
      expect(cal.step()).toBe(expected !== undefined);
      if (expected !== undefined) {
        expect(ran.at(-1)).toBe(expected);
        expect(cal.now).toBe(model.now);
      }
    }
    expect(cal.pending).toBe(model.events.length);
  }
  const before = ran.length;
  cal.run();
  const rest: number[] = [];
  for (let p = model.step(); p !== undefined; p = model.step()) rest.push(p);
  expect(ran.slice(before)).toEqual(rest);
  expect(cal.pending).toBe(0);
  expect(cal.processed).toBe(ran.length);
}

describe('Calendar against a naive sorted-list model', () => {
  it('random interleavings of schedule / cancel / step agree', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 300 }), (ops) => checkAgainstModel(ops, 16)),
      { numRuns: 300, seed: 20240601 },
    );
  });

  it('agrees when most events are cancelled (heap compaction) and storage grows', () => {
    const manyCancels = (seed: number): Op[] => {
      const rng = new RandomStreams(seed).stream('ops');
      const ops: Op[] = [];
      for (let i = 0; i < 3000; i++) ops.push({ kind: 'schedule', delay: Math.floor(rng.next() * 50) });
      for (let i = 0; i < 2600; i++) {
        // handles are picked in a scrambled order; some picks repeat (stale handles)
        ops.push({ kind: 'cancel', pick: Math.floor(rng.next() * 3000) });
        if (i % 40 === 0) ops.push({ kind: 'step' });
        if (i % 7 === 0) ops.push({ kind: 'schedule', delay: Math.floor(rng.next() * 50) });
      }
      return ops;
    };
    fc.assert(
      fc.property(fc.integer(), (seed) => checkAgainstModel(manyCancels(seed), 16)),
      { numRuns: 5, seed: 7 },
    );
  });
});

describe('Calendar semantics', () => {
  it('post and postAt are schedule and scheduleAt without a handle: the same order among equal times', () => {
    const cal = new Calendar();
    const order: number[] = [];
    const id = cal.on((p) => order.push(p));
    cal.schedule(2, id, 1);
    cal.post(2, id, 2);
    cal.scheduleAt(2, id, 3);
    cal.postAt(2, id, 4);
    cal.post(1, id, 0);
    expect(cal.pending).toBe(5);
    cal.run();
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(() => cal.post(-1, id, 5)).toThrow(RangeError);
    expect(() => cal.postAt(1, id, 5)).toThrow(RangeError);
  });

  it('runs equal-time events in scheduling order, including ones scheduled while running', () => {
    const cal = new Calendar();
    const order: number[] = [];
    const id = cal.on((p) => {
      order.push(p);
      if (p === 1) cal.schedule(0, id, 9);
    });
    for (const p of [1, 2, 3]) cal.schedule(5, id, p);
    cal.run();
    expect(order).toEqual([1, 2, 3, 9]);
    expect(cal.now).toBe(5);
  });

  it('stale handles cancel nothing, even after their slot is reused', () => {
    const cal = new Calendar();
    const ran: number[] = [];
    const id = cal.on((p) => ran.push(p));
    const a = cal.schedule(1, id, 1);
    expect(cal.cancel(a)).toBe(true);
    expect(cal.cancel(a)).toBe(false);
    const b = cal.schedule(1, id, 2); // reuses a's slot
    expect(b).not.toBe(a);
    expect(cal.cancel(a)).toBe(false);
    cal.run();
    expect(ran).toEqual([2]);
    expect(cal.cancel(b)).toBe(false); // already ran
    const c = cal.schedule(1, id, 3);
    expect(cal.cancel(b)).toBe(false);
    expect(cal.pending).toBe(1);
    expect(cal.cancel(c)).toBe(true);
    expect([-1, 0.5, Number.NaN, 2 ** 60].map((h) => cal.cancel(h))).toEqual([false, false, false, false]);
  });

  it('run(until) stops at until and sets now to it; later events stay pending', () => {
    const cal = new Calendar();
    const ran: number[] = [];
    const id = cal.on((p) => ran.push(p));
    cal.schedule(1, id, 1);
    cal.schedule(2, id, 2);
    cal.schedule(3, id, 3);
    cal.run(2);
    expect(ran).toEqual([1, 2]);
    expect(cal.now).toBe(2);
    cal.run(2.5);
    expect(cal.now).toBe(2.5);
    expect(cal.pending).toBe(1);
    expect(cal.peekTime()).toBe(3);
    cal.scheduleAt(2.75, id, 4);
    cal.run();
    expect(ran).toEqual([1, 2, 4, 3]);
    expect(cal.now).toBe(3);
  });

  it('stop() from a handler returns from run after the current event', () => {
    const cal = new Calendar();
    const ran: number[] = [];
    const id = cal.on((p) => {
      ran.push(p);
      if (p === 2) cal.stop();
    });
    for (let p = 1; p <= 4; p++) cal.schedule(p, id, p);
    cal.run(10);
    expect(ran).toEqual([1, 2]);
    expect(cal.now).toBe(2);
    cal.run(10);
    expect(ran).toEqual([1, 2, 3, 4]);
    expect(cal.now).toBe(10);
  });

  it('step() runs one event at a time and reports an empty calendar', () => {
    const cal = new Calendar();
    const ran: number[] = [];
    const id = cal.on((p) => ran.push(p));
    expect(cal.step()).toBe(false);
    const h = cal.schedule(2, id, 2);
    cal.schedule(1, id, 1);
    cal.cancel(h);
    expect(cal.step()).toBe(true);
    expect(cal.step()).toBe(false);
    expect(ran).toEqual([1]);
    expect(cal.processed).toBe(1);
  });

  it('rejects negative or NaN delays, past times and unknown handlers', () => {
    const cal = new Calendar();
    const id = cal.on(() => {});
    expect(() => cal.schedule(-1, id, 0)).toThrow(RangeError);
    expect(() => cal.schedule(Number.NaN, id, 0)).toThrow(/delay must be >= 0/);
    cal.run(5);
    expect(() => cal.scheduleAt(4, id, 0)).toThrow(/time must be >= now/);
    expect(() => cal.schedule(1, id + 1, 0)).toThrow(/unknown handler/);
    expect(cal.pending).toBe(0);
  });

  it('carries float payloads unchanged', () => {
    const cal = new Calendar();
    const seen: number[] = [];
    const id = cal.on((p) => seen.push(p));
    cal.schedule(0, id, 0.1);
    cal.schedule(0, id, -3);
    cal.schedule(0, id, 2 ** 40 + 1);
    cal.run();
    expect(seen).toEqual([0.1, -3, 2 ** 40 + 1]);
  });
});

describe('Calendar.reserveSeq / scheduleAtSeq', () => {
  it('an event scheduled with a reserved seq sorts among equal times as if scheduled when reserved', () => {
    const cal = new Calendar();
    const order: number[] = [];
    const h = cal.on((x) => {
      order.push(x);
      if (x === 9) expect(cal.currentSeq).toBe(reserved);
    });
    cal.scheduleAt(1, h, 1);
    const reserved = cal.reserveSeq();
    cal.scheduleAt(1, h, 2);
    cal.scheduleAt(0.5, h, 0);
    cal.scheduleAtSeq(1, h, 9, reserved); // after 1, before 2
    cal.run();
    expect(order).toEqual([0, 1, 9, 2]);
    expect(() => cal.scheduleAtSeq(2, h, 0, cal.reserveSeq() + 1)).toThrow(RangeError);
  });
});

type TimerOp =
  | { kind: 'schedule'; delay: number }
  | { kind: 'set'; timer: number; delay: number }
  | { kind: 'clear'; timer: number }
  | { kind: 'step' };

const timerOpArb: fc.Arbitrary<TimerOp> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('schedule' as const), delay: fc.constantFrom(0, 0.5, 1, 2) }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('set' as const),
      timer: fc.nat(3),
      delay: fc.constantFrom(0, 0.5, 1, 2, 3),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('clear' as const), timer: fc.nat(3) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('step' as const) }) },
);

describe('Calendar timers', () => {
  it('run exactly where the same event cancelled and scheduled anew would (random interleavings)', () => {
    fc.assert(
      fc.property(fc.array(timerOpArb, { maxLength: 300 }), (ops) => {
        // the reference: every timer move is a cancel and a fresh schedule
        const cal = new Calendar(16);
        const ref = new Calendar(16);
        const ran: number[] = [];
        const refRan: number[] = [];
        const onEvent = cal.on((p) => ran.push(p));
        const timers = [0, 1, 2, 3].map(() => cal.timer(cal.on((p) => ran.push(p))));
        const refOn = ref.on((p) => refRan.push(p));
        const refHandle = [-1, -1, -1, -1];
        let payload = 0;
        for (const op of ops) {
          if (op.kind === 'schedule') {
            cal.schedule(op.delay, onEvent, payload);
            ref.schedule(op.delay, refOn, payload);
          } else if (op.kind === 'set') {
            cal.setTimer(timers[op.timer]!, cal.now + op.delay, payload);
            if (refHandle[op.timer]! >= 0) ref.cancel(refHandle[op.timer]!);
            refHandle[op.timer] = ref.schedule(op.delay, refOn, payload);
          } else if (op.kind === 'clear') {
            cal.clearTimer(timers[op.timer]!);
            if (refHandle[op.timer]! >= 0) ref.cancel(refHandle[op.timer]!);
            refHandle[op.timer] = -1;
          } else {
            expect(cal.step()).toBe(ref.step());
            expect(cal.now).toBe(ref.now);
            expect(cal.currentSeq).toBe(ref.currentSeq);
          }
          payload++;
          expect(ran).toEqual(refRan);
          expect(cal.pending).toBe(ref.pending);
          expect(cal.peekTime()).toBe(ref.peekTime());
        }
        cal.run();
        ref.run();
        expect(ran).toEqual(refRan);
        expect([cal.processed, cal.pending]).toEqual([ref.processed, 0]);
      }),
      { numRuns: 300, seed: 20261130 },
    );
  });

  it('a timer is unset when it fires, may be set again from its own handler, and run(until) honours it', () => {
    const cal = new Calendar();
    const fired: number[] = [];
    let timer = -1;
    timer = cal.timer(
      cal.on((p) => {
        fired.push(cal.now);
        expect(cal.timerSet(timer)).toBe(false);
        if (p < 3) cal.setTimer(timer, cal.now + 1, p + 1);
      }),
    );
    cal.setTimer(timer, 1, 1);
    cal.setTimer(timer, 0.5, 1); // moved earlier before it fires
    expect(cal.timerSet(timer)).toBe(true);
    cal.run(1.9);
    expect(fired).toEqual([0.5, 1.5]);
    expect(cal.now).toBe(1.9);
    expect(cal.pending).toBe(1);
    cal.run();
    expect(fired).toEqual([0.5, 1.5, 2.5]);
    expect(cal.timerSet(timer)).toBe(false);
    cal.clearTimer(timer); // clearing an unset timer does nothing
    expect(() => cal.setTimer(timer, 1, 0)).toThrow(RangeError); // in the past
    expect(() => cal.setTimer(99, 5, 0)).toThrow(RangeError);
    expect(() => cal.timer(42)).toThrow(RangeError);
  });
});
