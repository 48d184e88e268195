// Sharded plans: shares partition the chains, and merged shares are the single-machine plan to the byte,
// for any share count, including shares whose chains take their guess from a chain in another share.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assignShares,
  mergeShards,
  type PlanSettings,
  type PlanShard,
  parseShare,
  planSpecs,
  planTable,
  resolveSettings,
  runPlan,
  runPlanShard,
  shareJson,
  workGroups,
} from '../../src/plan/index.ts';
import { resultsJson } from '../../src/report/index.ts';
import { tiny } from './fixture.ts';

describe('assignShares', () => {
  const groups = fc.array(
    fc.record({ size: fc.integer({ min: 1, max: 3 }), weight: fc.constantFrom(0.5, 1, 2, 5, 10) }),
    { maxLength: 30 },
  );

  it('puts every chain in exactly one share, keeps a group together and balances within one group', () => {
    fc.assert(
      fc.property(groups, fc.integer({ min: 1, max: 9 }), (gs, count) => {
        let next = 0;
        const work = gs.map((g) => ({
          chains: Array.from({ length: g.size }, () => next++),
          weight: g.weight,
        }));
        const share = assignShares(work, count);
        expect(share).toHaveLength(next);
        for (let i = 0; i < next; i++) {
          expect(Number.isInteger(share[i])).toBe(true);
          expect(share[i]).toBeGreaterThanOrEqual(0);
          expect(share[i]).toBeLessThan(count);
        }
        for (const g of work) expect(new Set(g.chains.map((i) => share[i])).size).toBe(1);
        // Longest-processing-time-first: the fullest share exceeds the emptiest by at most one group.
        const load = new Array<number>(count).fill(0);
        for (const g of work) load[share[g.chains[0]!]!]! += g.weight;
        const heaviest = work.reduce((m, g) => Math.max(m, g.weight), 0);
        expect(Math.max(...load) - Math.min(...load)).toBeLessThanOrEqual(heaviest + 1e-9);
        // The same input gives the same assignment: every share computes it alone.
        expect(assignShares(work, count)).toEqual(share);
      }),
    );
  });

  it('deals the costliest first: growth 10 and 1 on two shares go apart', () => {
    const work = [
      { chains: [0], weight: 1 },
      { chains: [1], weight: 1 },
      { chains: [2], weight: 10 },
      { chains: [3], weight: 10 },
    ];
    // 10 -> share 0, 10 -> share 1, then the 1s one each.
    expect(assignShares(work, 2)).toEqual([0, 1, 0, 1]);
  });
});

// Two catalogue types of one shape (m5.xlarge, m6i.xlarge share their simulations) and a custom pool.
const s = tiny({ vcpu: '1', replicas: 6, cpu: '50m', serviceTime: '10ms', rate: '300/s', zones: ['a', 'b'] });
const options: Partial<PlanSettings> = { instanceTypes: ['pool', 'm5.xlarge', 'm6i.xlarge'], growth: [1, 2] };
const env = { workers: 1, file: 'tiny.yaml' };
/** As a share travels: written by one process, read by another. */
const viaFile = (x: PlanShard): unknown => parseShare(shareJson(x));

async function shares(o: Partial<PlanSettings>, count: number) {
  const out = [];
  for (let index = 0; index < count; index++) out.push(await runPlanShard(s, o, { index, count }, env));
  return out;
}

describe('shareJson', () => {
  it('reads back every number as written, those JSON cannot hold included', () => {
    fc.assert(
      fc.property(fc.array(fc.double()), (xs) => {
        const x = { schema: 'meshsim/plan-shard/v1', shard: { index: 0, count: 1, assignment: xs } };
        const back = parseShare(shareJson(x as unknown as PlanShard)) as typeof x;
        expect(back.shard.assignment).toHaveLength(xs.length);
        for (const [i, v] of xs.entries())
          expect(Object.is(back.shard.assignment[i], v), String(v)).toBe(true);
      }),
    );
  });
});

describe('workGroups', () => {
  it('keeps node types of one shape together, per growth and architecture', () => {
    const specs = planSpecs(s, resolveSettings(s, options));
    const groups = workGroups(specs);
    // 2 growths x 3 architectures x (pool, and the two alike types)
    expect(groups).toHaveLength(12);
    for (const g of groups) {
      const types = g.chains.map((i) => specs[i]!.instanceType);
      expect(types.length === 1 ? types : types.sort()).toEqual(
        types.length === 1 ? types : ['m5.xlarge', 'm6i.xlarge'],
      );
    }
  });
});

describe('runPlanShard + mergeShards', () => {
  it('merges into the bytes of the single-machine plan (JSON and table) for 1 to 5 shares', async () => {
    const whole = await runPlan(s, options, env);
    const json = resultsJson(whole.plan);
    for (const count of [1, 2, 3, 5]) {
      const parts = await shares(options, count);
      // Every chain is some share's row, once.
      expect(parts.reduce((n, x) => n + x.shard.plan.rows.length, 0)).toBe(whole.plan.rows.length);
      // Shares only add: a reference's first simulation runs again in each share that needs it.
      const run = parts.reduce((n, x) => n + x.stats.simulations + x.stats.shared, 0);
      expect(run).toBeGreaterThanOrEqual(whole.stats.simulations + whole.stats.shared);
      const merged = mergeShards(
        parts.map((x, i) => ({ name: `s${i}.json`, value: viaFile(x.shard) })).reverse(),
      );
      expect(resultsJson(merged), `${count} shares`).toBe(json);
      expect(planTable(merged)).toBe(planTable(whole.plan));
    }
  }, 120_000);

  it('merges into the single-machine plan when chains screen (references probed through their screens)', async () => {
    // 40 s runs: screens cost a fifth of a full run, so every chain screens before its first full run.
    const long = structuredClone(s);
    long.simulation.duration = 40;
    const o = { ...options, instanceTypes: ['pool'] };
    const whole = await runPlan(long, o, env);
    expect(whole.stats.screens).toBeGreaterThan(0);
    const parts = [];
    for (let index = 0; index < 3; index++) parts.push(await runPlanShard(long, o, { index, count: 3 }, env));
    const merged = mergeShards(parts.map((x, i) => ({ name: `s${i}.json`, value: viaFile(x.shard) })));
    expect(resultsJson(merged)).toBe(resultsJson(whole.plan));
  }, 120_000);

  it('a share whose chains take their guess from another share runs that first simulation itself', async () => {
    const whole = await runPlan(s, options, env);
    const parts = await shares(options, 5);
    // Some share holds no chain at the lowest growth, so it runs the references' first simulations
    // (3 architectures) on top of its own.
    const lowest = parts.filter((x) => x.shard.plan.rows.every((r) => r.growth !== 1));
    expect(lowest.length).toBeGreaterThan(0);
    const rows = lowest[0]!.shard.plan.rows;
    const own = rows.reduce((n, r) => n + r.simulated.length, 0);
    expect(lowest[0]!.stats.simulations + lowest[0]!.stats.shared).toBeGreaterThan(own);
    for (const r of rows) {
      const single = whole.plan.rows.find(
        (w) =>
          w.growth === r.growth && w.architecture === r.architecture && w.instanceType === r.instanceType,
      )!;
      expect(r.simulated).toEqual(single.simulated);
    }
  }, 60_000);

  it('infeasible rows (reason, closest) survive the trip through a file', async () => {
    const capped = { ...options, growth: [2], maxNodes: 1, cpuTarget: 0.05 };
    const whole = await runPlan(s, capped, env);
    expect(whole.plan.rows.some((r) => !r.feasible && r.closest)).toBe(true);
    const merged = mergeShards(
      (await shares(capped, 3)).map((x, i) => ({ name: `s${i}`, value: viaFile(x.shard) })),
    );
    expect(resultsJson(merged)).toBe(resultsJson(whole.plan));
  }, 60_000);

  it('more shares than groups of work: the spare shares are empty and still merge', async () => {
    const one = { growth: [1], instanceTypes: ['pool'], architectures: ['ambient' as const] };
    const whole = await runPlan(s, one, env);
    const parts = await shares(one, 3);
    expect(parts.map((x) => x.shard.plan.rows.length)).toEqual([1, 0, 0]);
    const merged = mergeShards(parts.map((x, i) => ({ name: `s${i}`, value: viaFile(x.shard) })));
    expect(resultsJson(merged)).toBe(resultsJson(whole.plan));
  });

  it('refuses a missing, repeated, foreign, tampered or unknown share', async () => {
    const one = { ...options, growth: [1], instanceTypes: ['pool'] };
    const [a, b] = await shares(one, 2);
    const A = { name: 'a.json', value: viaFile(a!.shard) };
    const B = { name: 'b.json', value: viaFile(b!.shard) };
    expect(() => mergeShards([A])).toThrow(/share 1 of 2 missing/);
    expect(() => mergeShards([A, B, { ...A, name: 'c.json' }])).toThrow(
      /c\.json: share 0\/2 is also in a\.json/,
    );
    // Another scenario (a different rate): its hash differs, and the message says so.
    const t = tiny({
      vcpu: '1',
      replicas: 6,
      cpu: '50m',
      serviceTime: '10ms',
      rate: '301/s',
      zones: ['a', 'b'],
    });
    const foreign = viaFile((await runPlanShard(t, one, { index: 1, count: 2 }, env)).shard);
    expect(() => mergeShards([A, { name: 'o.json', value: foreign }])).toThrow(
      /o\.json: its scenario hash is not a\.json's \(\w+, against \w+\): shares of different plans/,
    );
    const other = viaFile(
      (await runPlanShard(s, { ...one, headroom: 0.2 }, { index: 1, count: 2 }, env)).shard,
    );
    expect(() => mergeShards([A, { name: 'h.json', value: other }])).toThrow(
      /h\.json: its settings is not a\.json's/,
    );
    const three = viaFile((await runPlanShard(s, one, { index: 1, count: 3 }, env)).shard);
    expect(() => mergeShards([A, { name: 't.json', value: three }])).toThrow(
      /t\.json: its share count is not a\.json's \(3, against 2\)/,
    );
    const swapped = viaFile(b!.shard) as PlanShard;
    swapped.plan.rows[0]!.architecture = 'ambient';
    expect(() => mergeShards([A, { name: 'b.json', value: swapped }])).toThrow(
      /b\.json: row 0 is 1x\/ambient\/pool, expected 1x\/sidecar\/pool/,
    );
    const dropped = viaFile(b!.shard) as PlanShard;
    dropped.plan.rows.pop();
    expect(() => mergeShards([A, { name: 'b.json', value: dropped }])).toThrow(/rows, but share 1\/2 has/);
    expect(() => mergeShards([{ name: 'x.json', value: { rows: [] } }])).toThrow(/x\.json: found no schema/);
    const noSettings = viaFile(b!.shard) as { plan: { settings: Record<string, unknown> } };
    delete noSettings.plan.settings.growth;
    expect(() => mergeShards([{ name: 'n.json', value: noSettings }])).toThrow(/n\.json: found no settings/);
    expect(() => mergeShards([])).toThrow(/no plan shares/);
  }, 60_000);

  it('rejects a share index outside 0..N-1 before running anything', async () => {
    await expect(runPlanShard(s, options, { index: 3, count: 3 }, env)).rejects.toThrow(/from 0 to 2/);
    await expect(runPlanShard(s, options, { index: 0, count: 0 }, env)).rejects.toThrow(/integer >= 1/);
  });

  it('records the settings of the whole plan, not of its own chains', async () => {
    const x = await runPlanShard(s, { ...options, growth: [1] }, { index: 1, count: 3 }, env);
    expect(x.shard.plan.settings).toEqual(resolveSettings(s, { ...options, growth: [1] }));
    expect(x.shard.shard.assignment).toHaveLength(9);
  });
});
