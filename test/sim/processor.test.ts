// Processor: hand-calculated sharing, caps and accounting, and fast-check properties against a brute-force
// fluid model (test/sim/helpers/fluid-reference.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Calendar, Processor } from '../../sim/index.ts';
import { type RefAbort, type RefGroup, type RefStart, runReference } from './helpers/fluid-reference.ts';
import { setup } from './helpers/processor-setup.ts';

describe('Processor sharing rule', () => {
  it('c cores with fewer than c jobs run every job at full speed, whatever the weights', () => {
    const { cal, cpu, done } = setup(4);
    const a = cpu.addGroup(2);
    const b = cpu.addGroup(1024);
    const c = cpu.addGroup(10_000);
    cpu.start(a, 1, 1);
    cpu.start(b, 2, 2);
    cpu.start(c, 3, 3);
    cal.run();
    expect(done).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    const s = cpu.stats(cal.now);
    expect(s.busy).toBeCloseTo(6, 12);
    expect(s.capacity).toBe(12);
    expect(s.saturated).toBe(0);
    expect(s.contended).toBe(0);
    for (const g of [a, b, c]) expect(cpu.usage(g, cal.now).starved).toBe(0);
  });

  it('one job never uses more than one core, even alone on many cores', () => {
    const { cal, cpu, done } = setup(8);
    const g = cpu.addGroup(1024);
    cpu.start(g, 2.5, 7);
    expect(cpu.rate(g)).toBe(1);
    cal.run();
    expect(done).toEqual([[7, 2.5]]);
  });

  it('jobs of one group on one core share it equally (processor sharing)', () => {
    const { cal, cpu, done } = setup(1);
    const g = cpu.addGroup(1);
    cpu.start(g, 1, 1);
    cpu.start(g, 2, 2);
    cal.run();
    // both at 1/2 until t = 2 (job 1 done), then job 2 alone with 1 left: t = 3
    expect(done).toEqual([
      [1, 2],
      [2, 3],
    ]);
  });

  it('two saturated groups with weights 1024:102 get CPU in the ratio 1024:102 (about 10:1)', () => {
    const { cal, cpu } = setup(2);
    const big = cpu.addGroup(1024);
    const small = cpu.addGroup(102);
    for (let i = 0; i < 4; i++) {
      cpu.start(big, 1e6, i);
      cpu.start(small, 1e6, 10 + i);
    }
    cal.run(100);
    const u = cpu.usage(big, 100);
    const v = cpu.usage(small, 100);
    expect(u.served / v.served).toBeCloseTo(1024 / 102, 10);
    expect(u.served + v.served).toBeCloseTo(200, 9);
    expect(cpu.rate(big)).toBeCloseTo((2 * 1024) / 1126, 12);
    expect(v.starved).toBeCloseTo(400 - v.served, 9);
    expect(cpu.stats(100).contended).toBe(100);
  });

  it('a group limited to 0.5 core gets at most 0.5 core, alone or under contention, and the rest goes to others', () => {
    const { cal, cpu } = setup(2);
    const capped = cpu.addGroup(1024, 0.5);
    for (let i = 0; i < 4; i++) cpu.start(capped, 1e6, i);
    cal.run(10);
    let u = cpu.usage(capped, 10);
    expect(u.served).toBeCloseTo(5, 12);
    expect(u.throttled).toBeCloseTo(35, 12);
    expect(u.starved).toBe(0);
    const other = cpu.addGroup(1024);
    for (let i = 0; i < 4; i++) cpu.start(other, 1e6, 10 + i);
    cal.run(20);
    u = cpu.usage(capped, 20);
    expect(u.served).toBeCloseTo(10, 12);
    expect(cpu.usage(other, 20).served).toBeCloseTo(15, 12); // 2 - 0.5 cores for 10 s
    expect(cpu.rate(capped)).toBe(0.5);
  });

  it('a group limit above its jobs does not raise their speed; a fractional limit slows each job', () => {
    const { cal, cpu, done } = setup(4);
    const g = cpu.addGroup(1, 1.5);
    cpu.start(g, 3, 1);
    cpu.start(g, 3, 2);
    cpu.start(g, 3, 3);
    // 3 jobs share 1.5 cores: 0.5 each, done at 6
    cal.run();
    expect(done.map(([, t]) => t)).toEqual([6, 6, 6]);
    expect(cpu.usage(g, 6).throttled).toBeCloseTo(9, 12);
  });

  it('a job started from the completion callback shares the cores from that instant', () => {
    const cal = new Calendar();
    const done: [number, number][] = [];
    const cpu = new Processor(cal, 1, (token) => {
      done.push([token, cal.now]);
      if (token === 1) {
        cpu.start(a, 1, 3);
        expect(cpu.jobs(a)).toBe(1);
      }
    });
    const a = cpu.addGroup(1);
    const b = cpu.addGroup(1);
    cpu.start(a, 1, 1);
    cpu.start(b, 3, 2);
    cal.run();
    // A and B at 1/2 each: A done at 2 (B has 2 left); A's next job and B at 1/2: done at 4, B alone to 5
    expect(done).toEqual([
      [1, 2],
      [3, 4],
      [2, 5],
    ]);
  });

  it('abort returns the work left and re-divides the cores', () => {
    const { cal, cpu, done } = setup(1);
    const g = cpu.addGroup(1);
    const h = cpu.addGroup(1);
    const j1 = cpu.start(g, 4, 1);
    cpu.start(h, 4, 2);
    cal.run(2); // each at 1/2: 1 done, 3 left
    expect(cpu.remaining(j1)).toBeCloseTo(3, 12);
    expect(cpu.abort(j1)).toBeCloseTo(3, 12);
    expect(cpu.abort(j1)).toBe(-1); // stale handle
    expect(cpu.remaining(j1)).toBe(-1);
    cal.run();
    expect(done).toEqual([[2, 5]]); // job 2 alone from t = 2 with 3 left
    expect(cpu.usage(g, 5).completed).toBe(0);
  });

  it('setCores and setGroup take effect at once', () => {
    const { cal, cpu, done } = setup(1);
    const a = cpu.addGroup(1);
    const b = cpu.addGroup(1);
    cpu.start(a, 2, 1);
    cpu.start(b, 2, 2);
    cal.run(1); // 0.5 each for 1 s: 1.5 left each
    cpu.setCores(2);
    cal.run(2); // 1 each: 0.5 left
    cpu.setGroup(a, 1, 0.25);
    cal.run();
    expect(done).toEqual([
      [2, 2.5],
      [1, 4],
    ]);
  });

  it('processors on one calendar each complete their own jobs, at their own times', () => {
    const cal = new Calendar();
    const done: Array<[string, number, number]> = [];
    const cpus = [1, 2, 3].map(
      (cores, i) => new Processor(cal, cores, (token) => done.push([`p${i}`, token, cal.now])),
    );
    const groups = cpus.map((cpu) => [cpu.addGroup(1), cpu.addGroup(1)]);
    // p0: one core, two jobs of 1 and 2 core-seconds share it: 2 s and 3 s. p1: two cores, one each:
    // 1 s and 2 s. p2: its second group's job of 0.5 s only.
    cpus[0]!.start(groups[0]![0]!, 1, 10);
    cpus[0]!.start(groups[0]![1]!, 2, 11);
    cpus[1]!.start(groups[1]![0]!, 1, 20);
    cpus[1]!.start(groups[1]![1]!, 2, 21);
    cpus[2]!.start(groups[2]![1]!, 0.5, 31);
    cal.run();
    expect(done).toEqual([
      ['p2', 31, 0.5],
      ['p1', 20, 1],
      ['p0', 10, 2],
      ['p1', 21, 2],
      ['p0', 11, 3],
    ]);
    // Another calendar's processor runs apart from these.
    const other = new Calendar();
    const seen: number[] = [];
    const lone = new Processor(other, 1, (token) => seen.push(token));
    lone.start(lone.addGroup(1), 1, 99);
    other.run();
    expect(seen).toEqual([99]);
    expect(done).toHaveLength(5);
  });

  it('rejects bad arguments with a RangeError', () => {
    const { cpu } = setup(1);
    expect(() => new Processor(new Calendar(), 0, () => {})).toThrow(RangeError);
    expect(() => cpu.addGroup(0)).toThrow(RangeError);
    expect(() => cpu.addGroup(1, 0)).toThrow(RangeError);
    const g = cpu.addGroup(1);
    expect(() => cpu.start(g, -1, 0)).toThrow(RangeError);
    expect(() => cpu.start(g, Number.POSITIVE_INFINITY, 0)).toThrow(RangeError);
    expect(() => cpu.start(5, 1, 0)).toThrow(RangeError);
  });
});

interface Program {
  cores: number;
  groups: RefGroup[];
  starts: RefStart[];
  aborts: RefAbort[];
}

const program: fc.Arbitrary<Program> = fc
  .record({
    cores: fc.integer({ min: 1, max: 4 }),
    groups: fc.array(
      fc.record({
        weight: fc.integer({ min: 2, max: 4096 }),
        limit: fc.oneof(fc.constant(Number.POSITIVE_INFINITY), fc.double({ min: 0.05, max: 3, noNaN: true })),
      }),
      { minLength: 1, maxLength: 11 },
    ),
    starts: fc.array(
      fc.record({
        gap: fc.double({ min: 0, max: 1.3, noNaN: true }),
        group: fc.nat(),
        work: fc.double({ min: 0, max: 2.7, noNaN: true }),
      }),
      { minLength: 1, maxLength: 40 },
    ),
    aborts: fc.array(fc.record({ job: fc.nat(), after: fc.double({ min: 0.013, max: 2.9, noNaN: true }) }), {
      maxLength: 6,
    }),
  })
  .map(({ cores, groups, starts, aborts }) => {
    let at = 0;
    const s = starts.map((x) => {
      at += x.gap;
      return { at, group: x.group % groups.length, work: x.work };
    });
    const a = aborts.map((x) => ({ job: x.job % s.length, at: s[x.job % s.length]!.at + x.after }));
    return { cores, groups, starts: s, aborts: a };
  });

function runProcessor(p: Program) {
  const cal = new Calendar();
  const finished = p.starts.map(() => Number.NaN);
  const abortedLeft = p.starts.map(() => Number.NaN);
  const handles = p.starts.map(() => -1);
  let overuse = 0;
  const cpu = new Processor(cal, p.cores, (token) => {
    finished[token] = cal.now;
  });
  const groups = p.groups.map((g) => cpu.addGroup(g.weight, g.limit));
  const check = () => {
    let total = 0;
    for (const [i, g] of groups.entries()) {
      const r = cpu.rate(g);
      total += r;
      const cap = Math.min(cpu.jobs(g), p.groups[i]!.limit);
      overuse = Math.max(overuse, r - cap);
    }
    overuse = Math.max(overuse, total - p.cores);
  };
  const start = cal.on((i) => {
    const s = p.starts[i]!;
    handles[i] = cpu.start(groups[s.group]!, s.work, i);
    check();
  });
  const abort = cal.on((k) => {
    const j = p.aborts[k]!.job;
    const left = cpu.abort(handles[j]!);
    if (left >= 0) abortedLeft[j] = left;
    check();
  });
  for (const [i, s] of p.starts.entries()) cal.scheduleAt(s.at, start, i);
  for (const [k, a] of p.aborts.entries()) cal.scheduleAt(a.at, abort, k);
  cal.run();
  const served = groups.map((g) => cpu.usage(g, cal.now).served);
  const usage = groups.map((g) => cpu.usage(g, cal.now));
  return { finished, abortedLeft, served, usage, overuse, stats: cpu.stats(cal.now), end: cal.now };
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-7 * Math.max(1, Math.abs(b));

describe('Processor properties (fast-check)', () => {
  it('matches a brute-force fluid model: completion times, aborted remainders and CPU served', () => {
    fc.assert(
      fc.property(program, (p) => {
        const got = runProcessor(p);
        const want = runReference(p.cores, p.groups, p.starts, p.aborts);
        for (let i = 0; i < p.starts.length; i++) {
          // an abort at the very instant a job ends may find it done or with nothing left: either is right
          const endedAtAbort = (left: number) => !Number.isNaN(left) && close(left, 0);
          if (endedAtAbort(got.abortedLeft[i]!) || endedAtAbort(want.abortedLeft[i]!)) continue;
          if (Number.isNaN(want.abortedLeft[i]!)) expect(got.abortedLeft[i]).toBeNaN();
          else expect(close(got.abortedLeft[i]!, want.abortedLeft[i]!), `abort ${i}`).toBe(true);
          if (Number.isNaN(want.finished[i]!)) expect(got.finished[i]).toBeNaN();
          else expect(close(got.finished[i]!, want.finished[i]!), `job ${i}`).toBe(true);
        }
        got.served.forEach((s, g) => {
          expect(close(s, want.served[g]!), `group ${g}`).toBe(true);
        });
      }),
      { seed: 10, numRuns: 300 },
    );
  });

  it('conserves work, never over-uses a core or a limit, and is deterministic', () => {
    fc.assert(
      fc.property(program, (p) => {
        const a = runProcessor(p);
        const b = runProcessor(p);
        expect(b.finished).toEqual(a.finished);
        expect(b.served).toEqual(a.served);
        expect(a.overuse).toBeLessThanOrEqual(1e-9);
        // served = the work of completed jobs + the work done on aborted ones
        const demanded = p.groups.map(() => 0);
        p.starts.forEach((s, i) => {
          if (!Number.isNaN(a.finished[i]!)) demanded[s.group]! += s.work;
          else if (!Number.isNaN(a.abortedLeft[i]!)) demanded[s.group]! += s.work - a.abortedLeft[i]!;
        });
        a.served.forEach((s, g) => {
          expect(close(s, demanded[g]!), `group ${g}: served ${s}, demanded ${demanded[g]}`).toBe(true);
        });
        let busy = 0;
        for (const [g, u] of a.usage.entries()) {
          busy += u.served;
          expect(u.served).toBeLessThanOrEqual(u.wanted + 1e-9);
          expect(u.served).toBeLessThanOrEqual(p.groups[g]!.limit * a.end + 1e-9);
          expect(close(u.wanted, u.served + u.throttled + u.starved)).toBe(true);
        }
        expect(close(a.stats.busy, busy)).toBe(true);
        expect(a.stats.busy).toBeLessThanOrEqual(a.stats.capacity + 1e-9);
      }),
      { seed: 11, numRuns: 300 },
    );
  });
});
