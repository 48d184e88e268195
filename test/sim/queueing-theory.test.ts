// Validates Calendar + ServerQueue + distributions against queueing theory over independent replications.
import { describe, expect, it } from 'vitest';
import { confidenceInterval, constant, exponential, replicate } from '../../sim/index.ts';
import { md1Theory, mmcTheory, type QueueModel, type QueueRun, runQueue } from './helpers/queue-model.ts';

const REPS = 20;

function replicateQueue(name: string, m: QueueModel): QueueRun[] {
  return replicate(name, REPS, (seed) => runQueue(m, seed));
}

function expectCovers(runs: QueueRun[], key: keyof QueueRun, truth: number): void {
  const ci = confidenceInterval(runs.map((r) => r[key]));
  expect(ci.n).toBe(REPS);
  expect(truth, `${key}: truth ${truth} outside [${ci.lo}, ${ci.hi}]`).toBeGreaterThanOrEqual(ci.lo);
  expect(truth, `${key}: truth ${truth} outside [${ci.lo}, ${ci.hi}]`).toBeLessThanOrEqual(ci.hi);
  // and the interval is informative: narrower than 10 % of the truth
  expect(ci.half).toBeLessThan(0.1 * truth);
}

const mmc = (c: number, lambda: number, horizon: number): QueueModel => ({
  servers: c,
  interarrival: exponential(1 / lambda),
  service: exponential(1),
  warmup: horizon / 10,
  horizon,
});

describe('M/M/c against Erlang C (Student-t 95 % CI over 20 replications)', () => {
  const cases = [
    { c: 1, lambda: 0.5, horizon: 200_000 },
    { c: 1, lambda: 0.8, horizon: 200_000 },
    { c: 2, lambda: 1.4, horizon: 50_000 },
    { c: 4, lambda: 3.6, horizon: 50_000 },
  ];
  for (const { c, lambda, horizon } of cases) {
    it(`M/M/${c} at rho ${lambda / c}`, () => {
      const truth = mmcTheory(c, lambda, 1);
      const runs = replicateQueue(`mm${c}-${lambda}`, mmc(c, lambda, horizon));
      expectCovers(runs, 'meanWait', truth.wq);
      expectCovers(runs, 'meanInSystem', truth.l);
      expectCovers(runs, 'utilisation', truth.rho);
    });
  }
});

describe('M/D/1 against Pollaczek-Khinchine', () => {
  it('rho 0.8, deterministic service 1', () => {
    const truth = md1Theory(0.8, 1);
    const model: QueueModel = {
      servers: 1,
      interarrival: exponential(1 / 0.8),
      service: constant(1),
      warmup: 5_000,
      horizon: 100_000,
    };
    const runs = replicateQueue('md1', model);
    expectCovers(runs, 'meanWait', truth.wq);
    expectCovers(runs, 'meanInSystem', truth.l);
    expectCovers(runs, 'utilisation', truth.rho);
  });
});

describe("Little's law on simulated output", () => {
  it('L = lambda W within 1 % in each replication', () => {
    const runs = replicateQueue('little', mmc(2, 1.6, 50_000));
    for (const r of runs) {
      expect(r.meanInSystem / (r.throughput * r.meanSojourn)).toBeCloseTo(1, 1);
      expect(Math.abs(r.meanInSystem / (r.throughput * r.meanSojourn) - 1)).toBeLessThan(0.01);
    }
  });
});

describe('determinism', () => {
  const model = mmc(2, 1.5, 2_000);
  it('same seed gives the identical event trace, a different seed a different one', () => {
    const a = runQueue(model, 'seed-a');
    const b = runQueue(model, 'seed-a');
    const c = runQueue(model, 'seed-b');
    expect(b.traceHash).toBe(a.traceHash);
    expect(b.meanWait).toBe(a.meanWait);
    expect(c.traceHash).not.toBe(a.traceHash);
  });
});
