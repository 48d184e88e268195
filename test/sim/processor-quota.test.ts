// CFS bandwidth control in the Processor (sim/processor-quota.ts): a group with a limit and a period runs
// at full parallelism until limit x period core-seconds are used in the period, then nothing until the
// period ends. Hand calculations, and properties on random loads: the quota's definition, and
// convergence on the cap at every instant as the period shrinks.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { setup } from './helpers/processor-setup.ts';

describe('Processor CFS quota', () => {
  it('four threads under a 1-core limit burst on four cores and wait out each period (hand calculation)', () => {
    // Each job needs 0.1 core-s. Four cores, quota 0.1 core-s per 0.1 s: the four run at a core each for
    // 25 ms (0.1 core-s used), are throttled to 0.1 s, and so on: 25 ms of work per job per period, so
    // the fourth period finishes them at 0.3 + 0.025 s. Capped at 1 core at every instant instead (the
    // fluid limit), each runs at a quarter core and finishes at 0.4 s.
    const { cal, cpu, done } = setup(4);
    const g = cpu.addGroup(1024, 1, 0.1);
    for (let i = 0; i < 4; i++) cpu.start(g, 0.1, i);
    expect(cpu.rate(g)).toBe(4);
    cal.run(0.05);
    expect(cpu.rate(g)).toBe(0);
    expect(cpu.usage(g, 0.05).served).toBeCloseTo(0.1, 12);
    cal.run();
    expect(done.map(([t]) => t)).toEqual([0, 1, 2, 3]);
    for (const [, at] of done) expect(at).toBeCloseTo(0.325, 12);

    const fluid = setup(4);
    const h = fluid.cpu.addGroup(1024, 1);
    for (let i = 0; i < 4; i++) fluid.cpu.start(h, 0.1, i);
    fluid.cal.run();
    for (const [, at] of fluid.done) expect(at).toBeCloseTo(0.4, 12);
  });

  it('a throttled group takes new jobs without running them; other groups get the cores meanwhile', () => {
    const { cal, cpu, done } = setup(2);
    const limited = cpu.addGroup(1024, 0.5, 0.1);
    const other = cpu.addGroup(1024);
    cpu.start(limited, 1, 1); // 0.05 core-s per period: runs 0-0.05, throttled to 0.1
    cpu.start(other, 0.3, 2);
    cal.run(0.06);
    expect(cpu.rate(limited)).toBe(0);
    cpu.start(limited, 0.01, 3);
    expect(cpu.rate(limited)).toBe(0);
    expect(cpu.jobs(limited)).toBe(2);
    // the other group is alone on its core throughout: done at 0.3. Period 0.1-0.2: job 1 and job 3
    // share the core the other group leaves them (weights equal), half a core each: job 3 (0.01
    // core-s) is done at 0.12; job 1 then alone on a core uses the 0.03 left by 0.15. Job 1 has
    // 0.05 + 0.04 by then and 0.05 in each later period: 0.99 after the period ending at 2.0, done at
    // 2.01.
    cal.run();
    expect(done[0]).toEqual([3, expect.closeTo(0.12, 12)]);
    expect(done[1]).toEqual([2, expect.closeTo(0.3, 12)]);
    expect(done[2]![0]).toBe(1);
    expect(done[2]![1]).toBeCloseTo(2.01, 9);
  });

  it('periods start at the processor origin: a quota spent exactly at a boundary is refilled at once', () => {
    const { cal, cpu, done } = setup(4);
    cpu.quotaOrigin = 0.05;
    const g = cpu.addGroup(1024, 1, 0.1);
    // period [-0.05, 0.05): two jobs of 0.06 at a core each use 0.1 core-s by 0.05 (the boundary itself):
    // the new period's quota is there, so they finish at 0.06 without a throttle
    cpu.start(g, 0.06, 1);
    cpu.start(g, 0.06, 2);
    cal.run();
    expect(done.map(([, t]) => t)).toEqual([expect.closeTo(0.06, 12), expect.closeTo(0.06, 12)]);
  });

  it('an idle group is not throttled in a new period, and its quota does not carry over', () => {
    const { cal, cpu, done } = setup(4);
    const g = cpu.addGroup(1024, 1, 0.1);
    cpu.start(g, 0.01, 1); // uses 0.01 of period 0
    cal.run(0.5);
    // period 5: two jobs of 0.08 on two cores use 0.1 by 0.55, then throttled to 0.6; 0.03 left each,
    // done at 0.63
    cpu.start(g, 0.08, 2);
    cpu.start(g, 0.08, 3);
    cal.run();
    expect(done[1]![1]).toBeCloseTo(0.63, 12);
    expect(done[2]![1]).toBeCloseTo(0.63, 12);
    expect(cpu.usage(g, cal.now).throttled).toBeCloseTo(2 * 0.05, 12);
  });

  it('never runs more than limit x period core-seconds in any period, and finishes all the work (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom(0.25, 0.5, 1, 1.5),
        fc.double({ min: 0, max: 0.099, noNaN: true }),
        fc.array(
          fc.record({
            at: fc.double({ min: 0, max: 0.5, noNaN: true }),
            work: fc.double({ min: 0.001, max: 0.2, noNaN: true }),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        (cores, limit, origin, jobs) => {
          const period = 0.1;
          const { cal, cpu, done } = setup(cores);
          cpu.quotaOrigin = origin;
          const g = cpu.addGroup(1024, limit, period);
          const rival = cpu.addGroup(512);
          cpu.start(rival, 0.3, -1);
          // the group's CPU sampled at every period boundary and at its throttles
          const served: number[] = [];
          const tick = cal.on(() => served.push(cpu.usage(g, cal.now).served));
          for (let k = 0; k < 40; k++) cal.scheduleAt(origin + k * period, tick, k);
          jobs.forEach((j, i) => {
            cal.scheduleAt(
              j.at,
              cal.on(() => cpu.start(g, j.work, i)),
              0,
            );
          });
          cal.run();
          expect(done.filter(([t]) => t >= 0)).toHaveLength(jobs.length);
          const total = jobs.reduce((s, j) => s + j.work, 0);
          expect(cpu.usage(g, cal.now).served).toBeCloseTo(total, 9);
          for (let k = 1; k < served.length; k++) {
            expect(served[k]! - served[k - 1]!).toBeLessThanOrEqual(limit * period + 1e-9);
          }
        },
      ),
      { numRuns: 200, seed: 12 },
    );
  });

  it('with a short period it converges on the cap at every instant: completions within two periods (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0.5, 1, 1.5),
        fc.array(
          fc.record({
            at: fc.double({ min: 0, max: 0.2, noNaN: true }),
            work: fc.double({ min: 0.001, max: 0.05, noNaN: true }),
          }),
          { minLength: 1, maxLength: 10 },
        ),
        (limit, jobs) => {
          const period = 0.001;
          const run = (quotaPeriod: number) => {
            const { cal, cpu, done } = setup(4);
            const g = cpu.addGroup(1024, limit, quotaPeriod);
            jobs.forEach((j, i) => {
              cal.scheduleAt(
                j.at,
                cal.on(() => cpu.start(g, j.work, i)),
                0,
              );
            });
            cal.run();
            return new Map(done);
          };
          const quota = run(period);
          const fluid = run(0);
          for (let i = 0; i < jobs.length; i++)
            expect(Math.abs(quota.get(i)! - fluid.get(i)!)).toBeLessThanOrEqual(2 * period + 1e-9);
        },
      ),
      { numRuns: 200, seed: 13 },
    );
  });
});
