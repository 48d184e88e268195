// Sharded plans: shares partition the chains, and merged shares are the single-machine plan to the byte.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  mergeShards,
  type PlanChain,
  type PlanShard,
  planChains,
  resolveSettings,
  runPlan,
  runPlanShard,
  shareOf,
} from '../../src/plan/index.ts';
import { resultsJson } from '../../src/report/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { tinyText } from './fixture.ts';

const chainsOf = (growth: number[]): PlanChain[] =>
  growth.map((g, i) => ({ growth: g, architecture: i % 2 ? 'ambient' : 'sidecar', instanceType: `t${i}` }));

describe('shareOf', () => {
  it('every chain is in exactly one share, and shares differ in size by at most one', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(1, 2, 5, 10), { maxLength: 40 }),
        fc.integer({ min: 1, max: 12 }),
        (growth, count) => {
          const chains = chainsOf(growth);
          const shares = Array.from({ length: count }, (_, index) => shareOf(chains, { index, count }));
          const all = shares.flat().sort((a, b) => a - b);
          expect(all).toEqual(chains.map((_, i) => i));
          for (const s of shares) expect(s).toEqual([...s].sort((a, b) => a - b));
          const sizes = shares.map((s) => s.length);
          expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });

  it('deals the costliest chains first: two shares of growth 1,10 x 2 architectures get one x10 each', () => {
    // plan order: g1/sidecar, g1/ambient, g10/sidecar, g10/ambient; by cost: 2, 3, 0, 1
    const chains = planChains({
      architectures: ['sidecar', 'ambient'],
      instanceTypes: ['m5.large'],
      growth: [1, 10],
      headroom: 0.1,
      cpuTarget: 0.7,
      maxNodes: 10,
    });
    expect(chains.map((c) => `${c.growth}/${c.architecture}`)).toEqual([
      '1/sidecar',
      '1/ambient',
      '10/sidecar',
      '10/ambient',
    ]);
    expect(shareOf(chains, { index: 0, count: 2 })).toEqual([0, 2]);
    expect(shareOf(chains, { index: 1, count: 2 })).toEqual([1, 3]);
  });
});

describe('runPlanShard + mergeShards', () => {
  const s = parseScenario(tinyText({ replicas: 4, cpu: '450m', compare: '[sidecar, ambient]' }), 'tiny.yaml');
  const options = { instanceTypes: ['pool', 'm5.large'], growth: [1, 2] };
  const env = { workers: 1, file: 'tiny.yaml' };
  // As they travel: written by one process, read by another.
  const viaFile = (x: PlanShard) => JSON.parse(JSON.stringify(x)) as unknown;

  it('three shares merge into the bytes of the single-machine plan', async () => {
    const whole = await runPlan(s, options, env);
    const shares = await Promise.all(
      [0, 1, 2].map((index) => runPlanShard(s, options, { index, count: 3 }, env)),
    );
    expect(shares.map((x) => x.shard.shard.rows.length)).toEqual([3, 3, 2]);
    expect(shares.reduce((n, x) => n + x.stats.simulations, 0)).toBe(whole.stats.simulations);
    const merged = mergeShards(shares.map((x, i) => ({ name: `s${i}`, value: viaFile(x.shard) })).reverse());
    expect(resultsJson(merged)).toBe(resultsJson(whole.plan));
  });

  it('more shares than chains: the spare shares are empty and still merge', async () => {
    const one = { ...options, growth: [1], instanceTypes: ['pool'], architectures: ['ambient' as const] };
    const whole = await runPlan(s, one, env);
    const shares = await Promise.all([0, 1].map((index) => runPlanShard(s, one, { index, count: 2 }, env)));
    expect(shares[1]!.shard.plan.rows).toEqual([]);
    const merged = mergeShards(shares.map((x, i) => ({ name: `s${i}`, value: viaFile(x.shard) })));
    expect(resultsJson(merged)).toBe(resultsJson(whole.plan));
  });

  it('refuses a missing, repeated, foreign, tampered or unknown share', async () => {
    const one = { ...options, growth: [1], instanceTypes: ['pool'] };
    const [a, b] = await Promise.all([0, 1].map((index) => runPlanShard(s, one, { index, count: 2 }, env)));
    const A = { name: 'a.json', value: viaFile(a!.shard) };
    const B = { name: 'b.json', value: viaFile(b!.shard) };
    expect(() => mergeShards([A])).toThrow(/shard 1 of 2 missing/);
    expect(() => mergeShards([A, B, { ...A, name: 'c.json' }])).toThrow(
      /c\.json: shard 0\/2 is also in a\.json/,
    );
    const other = viaFile(
      (await runPlanShard(s, { ...one, headroom: 0.2 }, { index: 1, count: 2 }, env)).shard,
    );
    expect(() => mergeShards([A, { name: 'o.json', value: other }])).toThrow(
      /o\.json: a share of another plan/,
    );
    const swapped = viaFile(b!.shard) as PlanShard;
    swapped.plan.rows[0]!.architecture = 'sidecar';
    expect(() => mergeShards([A, { name: 'b.json', value: swapped }])).toThrow(
      /not the chain its shard says/,
    );
    const moved = viaFile(b!.shard) as PlanShard;
    moved.shard.rows = [0];
    expect(() => mergeShards([A, { name: 'b.json', value: moved }])).toThrow(/not those of shard 1\/2/);
    expect(() => mergeShards([{ name: 'x.json', value: { rows: [] } }])).toThrow(
      /x\.json: found no plan shard/,
    );
    expect(() => mergeShards([])).toThrow(/no plan shards/);
  });

  it('rejects a share index outside 0..N-1', async () => {
    await expect(runPlanShard(s, options, { index: 3, count: 3 }, env)).rejects.toThrow(/from 0 to 2/);
    await expect(runPlanShard(s, options, { index: 0, count: 0 }, env)).rejects.toThrow(/integer >= 1/);
  });

  it('the settings a share records are the whole plan, not its own chains', async () => {
    const x = await runPlanShard(s, options, { index: 1, count: 3 }, env);
    expect(x.shard.plan.settings).toEqual(resolveSettings(s, options));
  });
});
