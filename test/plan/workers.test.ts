// Parallel and repeatable: the plan JSON is byte-identical with 1 and 2 workers (real worker threads,
// started through the .mjs shim), and --resume reuses checkpointed simulations.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { directoryStore, type PlanSettings, runPlan } from '../../src/plan/index.ts';
import { resultsJson } from '../../src/report/index.ts';
import { tiny } from './fixture.ts';

const s = tiny({ vcpu: '1', replicas: 6, cpu: '50m', serviceTime: '10ms', rate: '300/s', zones: ['a', 'b'] });
const options: Partial<PlanSettings> = { instanceTypes: ['pool', 'm5.large'], growth: [1, 2] };
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'meshsim-plan-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('workers', () => {
  it('gives byte-identical plan JSON with 1 and 2 workers', async () => {
    const one = await runPlan(s, options, { workers: 1 });
    const two = await runPlan(s, options, { workers: 2 });
    expect(one.stats.simulations).toBeGreaterThan(4);
    expect(two.stats).toEqual(one.stats);
    expect(resultsJson(two.plan)).toBe(resultsJson(one.plan));
  });

  it('gives byte-identical plan JSON with 1 and 2 workers when chains screen', async () => {
    // 40 s runs: screens (8 s) cost a fifth of a full run, so every chain screens first.
    const long = structuredClone(s);
    long.simulation.duration = 40;
    const o = { ...options, growth: [1, 3] };
    const one = await runPlan(long, o, { workers: 1 });
    const two = await runPlan(long, o, { workers: 2 });
    expect(one.stats.screens).toBeGreaterThanOrEqual(8);
    expect(two.stats).toEqual(one.stats);
    expect(resultsJson(two.plan)).toBe(resultsJson(one.plan));
  }, 120_000);
});

describe('checkpoints', () => {
  it('writes one file per finished simulation and --resume reuses them all', async () => {
    const dir = tmp();
    const first = await runPlan(s, options, { store: directoryStore(dir, false) });
    expect(first.stats.reused).toBe(0);
    const files = readdirSync(dir);
    // Screens are checkpointed too: they are jobs like any other.
    expect(files).toHaveLength(first.stats.simulations + first.stats.screens);
    expect(files.every((f) => f.endsWith('.json'))).toBe(true);

    const again = await runPlan(s, options, { store: directoryStore(dir, true) });
    expect(again.stats).toEqual({
      simulations: 0,
      reused: first.stats.simulations,
      shared: 0,
      screens: first.stats.screens,
    });
    expect(resultsJson(again.plan)).toBe(resultsJson(first.plan));

    // Lose two checkpoints (as if interrupted before they finished): only those two run again. This
    // scenario is too short to screen (screen.ts), so every file is a full simulation.
    expect(first.stats.screens).toBe(0);
    for (const f of files.slice(0, 2)) rmSync(join(dir, f));
    const partial = await runPlan(s, options, { store: directoryStore(dir, true), workers: 2 });
    expect(partial.stats).toEqual({
      simulations: 2,
      reused: first.stats.simulations - 2,
      shared: 0,
      screens: first.stats.screens,
    });
    expect(resultsJson(partial.plan)).toBe(resultsJson(first.plan));
  });

  it('checkpoints shared simulations under each node type, so --resume reuses them too', async () => {
    const dir = tmp();
    const same = { instanceTypes: ['m5.xlarge', 'm6i.xlarge'], growth: [1] };
    const first = await runPlan(s, same, { store: directoryStore(dir, false), workers: 2 });
    expect(first.stats.shared).toBeGreaterThan(0);
    expect(readdirSync(dir)).toHaveLength(first.stats.simulations + first.stats.shared + first.stats.screens);
    const again = await runPlan(s, same, { store: directoryStore(dir, true) });
    expect(again.stats).toEqual({
      simulations: 0,
      shared: 0,
      reused: first.stats.simulations + first.stats.shared,
      screens: first.stats.screens,
    });
    expect(resultsJson(again.plan)).toBe(resultsJson(first.plan));
  });

  it('ignores checkpoints without --resume, and stops cleanly when interrupted', async () => {
    const dir = tmp();
    await runPlan(s, options, { store: directoryStore(dir, false) });
    const fresh = await runPlan(s, options, { store: directoryStore(dir, false) });
    expect(fresh.stats.reused).toBe(0);

    const stop = new AbortController();
    const dir2 = tmp();
    let seen = 0;
    const run = runPlan(s, options, {
      store: directoryStore(dir2, false),
      signal: stop.signal,
      onProgress: (p) => {
        seen = p.simulations;
        if (seen === 3) stop.abort();
      },
    });
    await expect(run).rejects.toThrow(/interrupted/);
    // Every simulation that finished is on disk, whole; nothing else is.
    const kept = readdirSync(dir2);
    expect(kept.length).toBe(seen);
    expect(kept.every((f) => f.endsWith('.json'))).toBe(true);
    const resumed = await runPlan(s, options, { store: directoryStore(dir2, true) });
    expect(resumed.stats.reused).toBe(kept.length);
  });
});
