import { describe, expect, it } from 'vitest';
import { Calendar, ServerQueue } from '../../sim/index.ts';

/** A queue whose grants are logged, driven by hand-placed events. */
function setup(servers: number, maxWaiting?: number) {
  const cal = new Calendar();
  const grants: [token: number, waited: number, at: number][] = [];
  const q = new ServerQueue(
    cal,
    servers,
    (token, waited) => grants.push([token, waited, cal.now]),
    maxWaiting,
  );
  const results: number[] = [];
  const acquire = cal.on((token) => results.push(q.acquire(token)));
  const release = cal.on(() => q.release());
  return { cal, q, grants, results, acquire, release };
}

describe('ServerQueue', () => {
  it('grants immediately while servers are free, then queues FIFO, and hands servers to waiters', () => {
    const { cal, q, grants, results, acquire, release } = setup(1);
    cal.scheduleAt(0, acquire, 1); // granted at 0
    cal.scheduleAt(1, acquire, 2); // waits 1..4
    cal.scheduleAt(2, acquire, 3); // waits 2..6
    cal.scheduleAt(4, release, 0); // 1 leaves, 2 starts
    cal.scheduleAt(6, release, 0); // 2 leaves, 3 starts
    cal.scheduleAt(8, release, 0); // 3 leaves
    cal.run(10);
    expect(results).toEqual([0, 1, 1]);
    expect(grants).toEqual([
      [2, 3, 4],
      [3, 4, 6],
    ]);
    expect(q.busy).toBe(0);
    expect(q.waiting).toBe(0);
    const s = q.stats(10);
    // busy on [0, 8] of [0, 10]; waiting: 1 on [1,2], 2 on [2,4], 1 on [4,6] -> area 1 + 4 + 2 = 7
    expect(s.utilisation).toBeCloseTo(0.8, 15);
    expect(s.meanBusy).toBeCloseTo(0.8, 15);
    expect(s.meanWaiting).toBeCloseTo(0.7, 15);
    expect(s.waits.count).toBe(3);
    expect(s.waits.mean).toBeCloseTo(7 / 3, 15);
    expect(s.waits.max).toBe(4);
    expect(s.waits.variance).toBeCloseTo(((0 - 7 / 3) ** 2 + (3 - 7 / 3) ** 2 + (4 - 7 / 3) ** 2) / 2, 14);
    expect(s.granted).toBe(3);
    expect(s.rejected).toBe(0);
  });

  it('rejects when the line is full', () => {
    const { cal, q, results, acquire } = setup(2, 1);
    for (let t = 1; t <= 5; t++) cal.scheduleAt(0, acquire, t);
    cal.run();
    expect(results).toEqual([0, 0, 1, 2, 2]);
    expect(q.stats(cal.now).rejected).toBe(2);
    expect(q.waiting).toBe(1);
    expect(q.busy).toBe(2);
  });

  it('maxWaiting 0 is a loss system (Erlang B style)', () => {
    const { cal, results, acquire } = setup(1, 0);
    cal.scheduleAt(0, acquire, 1);
    cal.scheduleAt(0, acquire, 2);
    cal.run();
    expect(results).toEqual([0, 2]);
  });

  it('setServers up grants waiters at once; down lets busy servers finish', () => {
    const { cal, q, grants, acquire, release } = setup(1);
    for (let t = 1; t <= 4; t++) cal.scheduleAt(0, acquire, t);
    cal.run(1);
    expect(q.waiting).toBe(3);
    q.setServers(3); // at t = 1
    expect(grants.map(([t]) => t)).toEqual([2, 3]);
    expect(q.busy).toBe(3);
    expect(q.waiting).toBe(1);
    q.setServers(1);
    cal.scheduleAt(2, release, 0); // busy 3 -> 2: over capacity, no grant
    cal.scheduleAt(3, release, 0); // busy 2 -> 1
    cal.scheduleAt(4, release, 0); // at capacity: token 4 takes the server
    cal.run(5);
    expect(grants.map(([t, , at]) => [t, at])).toEqual([
      [2, 1],
      [3, 1],
      [4, 4],
    ]);
    expect(q.busy).toBe(1);
    // capacity: 1 on [0,1], 3 at... [1,1] only, then 1 on [1,5] -> 5 server-seconds;
    // busy: 1 on [0,1], 3 on [1,2], 2 on [2,3], 1 on [3,5] -> 1 + 3 + 2 + 2 = 8
    const s = q.stats(5);
    expect(s.meanBusy).toBeCloseTo(8 / 5, 15);
    expect(s.utilisation).toBeCloseTo(8 / 5, 15); // over 1: servers removed while busy
  });

  it('drain() returns waiting tokens oldest first and empties the line', () => {
    const { cal, q, acquire } = setup(1);
    for (let t = 10; t < 15; t++) cal.scheduleAt(0, acquire, t);
    cal.run();
    expect(q.drain()).toEqual([11, 12, 13, 14]);
    expect(q.waiting).toBe(0);
    expect(q.busy).toBe(1);
  });

  it('the ring buffer grows and wraps without losing order', () => {
    const { cal, q, grants, acquire, release } = setup(1);
    cal.scheduleAt(0, acquire, 0);
    let next = 1;
    // keep about 100 waiting while cycling 1000 tokens through, so head and tail wrap repeatedly
    for (let t = 0; t < 1000; t++) {
      cal.scheduleAt(t + 0.5, acquire, next++);
      if (t % 2 === 0) cal.scheduleAt(t + 0.5, acquire, next++);
      if (t >= 100) cal.scheduleAt(t + 0.75, release, 0);
    }
    cal.run();
    expect(grants.map(([t]) => t)).toEqual(Array.from({ length: grants.length }, (_, i) => i + 1));
    expect(q.waiting + grants.length + 1).toBe(next);
  });

  it('resetStats discards the warm-up but keeps the state', () => {
    const { cal, q, acquire, release } = setup(1);
    cal.scheduleAt(0, acquire, 1);
    cal.scheduleAt(1, acquire, 2);
    cal.run(2);
    q.resetStats(2);
    cal.scheduleAt(3, release, 0);
    cal.run(4);
    const s = q.stats(4);
    expect(s.meanWaiting).toBeCloseTo(0.5, 15); // 1 waiting on [2, 3]
    expect(s.meanBusy).toBe(1);
    expect(s.waits.count).toBe(1);
    expect(s.waits.mean).toBe(2);
  });

  it('rejects invalid arguments', () => {
    const cal = new Calendar();
    expect(() => new ServerQueue(cal, 1.5, () => {})).toThrow(/servers must be an integer >= 0, got 1.5/);
    expect(() => new ServerQueue(cal, 1, () => {}, -1)).toThrow(/maxWaiting must be >= 0/);
    expect(() => new ServerQueue(cal, 1, () => {}).release()).toThrow(/no server is busy/);
  });
});
