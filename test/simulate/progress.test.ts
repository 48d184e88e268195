// Progress within replications (src/simulate/progress.ts): a replication reports the simulated time it
// has reached, the drivers turn it into fractional replications done, and none of it changes a result.
import { describe, expect, it } from 'vitest';
import { deriveSeed } from '../../sim/index.ts';
import { place } from '../../src/cluster/index.ts';
import { resultsJson } from '../../src/report/index.ts';
import { loadScenario, type Scenario } from '../../src/scenario/index.ts';
import {
  type BatchRunner,
  buildWorld,
  measure,
  Replication,
  replicationPool,
  simulate,
  simulateWith,
} from '../../src/simulate/index.ts';
import { batchDone, sharedTimes } from '../../src/simulate/progress.ts';
import { type RepJob, runJob } from '../../src/simulate/rep-job.ts';

function short(): Scenario {
  const s = loadScenario('scenarios/quickstart.yaml');
  s.simulation = { ...s.simulation, duration: 2, warmup: 0.5, replications: 2 };
  return s;
}

describe('progress within a replication', () => {
  it('reports simulated times rising to the duration, and the run measures the same', () => {
    const s = short();
    const world = buildWorld(s, place(s, 'sidecar'));
    const seed = deriveSeed(s.simulation.seed, 'replication', 0);
    const plain = new Replication(world, seed);
    plain.run();
    const times: number[] = [];
    const watched = new Replication(world, seed);
    watched.run((t) => times.push(t));
    expect(JSON.stringify(measure(watched))).toBe(JSON.stringify(measure(plain)));
    expect(watched.cal.processed).toBe(plain.cal.processed);
    expect(times.length).toBeGreaterThan(150);
    expect(times.at(-1)).toBe(2);
    expect(times).toContain(0.5); // the warm-up's end, where measuring starts
    for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThan(times[i - 1]!);
  });

  it('a job writes its simulated time where its progress slot says, the duration once done', () => {
    const s = short();
    const times = sharedTimes(3);
    runJob({ scenario: s, arch: 'none', r: 0, progress: { times, at: 1 } });
    expect([...times]).toEqual([0, 2, 0]);
  });

  it('counts a batch: finished jobs 1, running ones their share, waiting ones 0', () => {
    const s = short();
    const jobs: RepJob[] = [0, 1, 2, 3].map((r) => ({ scenario: s, arch: 'sidecar', r }));
    const times = Float64Array.from([2, 0.5, 0, 1.9]);
    expect(batchDone(jobs, times, Uint8Array.from([1, 0, 0, 0]))).toBeCloseTo(1 + 0.25 + 0 + 0.95, 12);
    // A job counts 1 once finished, whatever was last read of its time.
    expect(batchDone(jobs, Float64Array.from([0, 0, 0, 0]), Uint8Array.from([1, 1, 0, 0]))).toBe(2);
  });
});

describe('progress through the drivers', () => {
  it('inline: fractional replications done, never falling, ending at the total', () => {
    const s = short();
    const seen: Array<[number, number]> = [];
    const withProgress = resultsJson(simulate(s, { onProgress: (d, t) => seen.push([d, t]) }));
    expect(withProgress).toBe(resultsJson(simulate(s)));
    const total = 2 * s.compare.length;
    expect(seen.at(-1)).toEqual([total, total]);
    expect(seen.some(([d]) => !Number.isInteger(d))).toBe(true);
    for (let i = 1; i < seen.length; i++) expect(seen[i]![0]).toBeGreaterThanOrEqual(seen[i - 1]![0]);
  });

  it('on a runner: every job gets its own progress slot, and the last report is the total', async () => {
    const s = short();
    const slots: number[] = [];
    // Runs each job here as a worker would, reading what it wrote before reporting it done.
    const runner: BatchRunner = {
      workers: 2,
      run: async (jobs, onDone) =>
        jobs.map((job, i) => {
          const m = runJob(job);
          slots.push(job.progress!.at);
          expect(job.progress!.times[job.progress!.at]).toBe(job.scenario.simulation.duration);
          onDone(i);
          return m;
        }),
    };
    const seen: number[] = [];
    const r = await simulateWith(s, runner, { onProgress: (d) => seen.push(d) });
    expect(resultsJson(r)).toBe(resultsJson(simulate(s)));
    expect(slots).toEqual(slots.map((_, i) => i));
    expect(seen.at(-1)).toBe(2 * s.compare.length);
  });

  it('on worker threads: the same bytes with progress shown as without', async () => {
    const s = short();
    const pool = replicationPool(2);
    try {
      const seen: number[] = [];
      const shown = resultsJson(await simulateWith(s, pool, { onProgress: (d) => seen.push(d) }));
      expect(shown).toBe(resultsJson(await simulateWith(s, pool)));
      expect(seen.at(-1)).toBe(2 * s.compare.length);
    } finally {
      await pool.close();
    }
  }, 120_000);
});
