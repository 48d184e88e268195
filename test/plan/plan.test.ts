// The planner on small real simulations: bin packing decided by arithmetic and the scheduler, the true
// minimum against an exhaustive scan, growth, and an SLO nothing can meet.
import { describe, expect, it } from 'vitest';
import { minNodesLowerBound, place } from '../../src/cluster/index.ts';
import { nodeRates } from '../../src/cost/index.ts';
import type { PlanRow } from '../../src/plan/index.ts';
import {
  candidatePool,
  growScenario,
  nodeShares,
  onPool,
  PLAN_POOL,
  plannedCpu,
  planTable,
  runPlan,
  summarise,
  withHeadroom,
} from '../../src/plan/index.ts';
import type { Architecture, Scenario } from '../../src/scenario/index.ts';
import { buildWorld, simulateArchitecture } from '../../src/simulate/index.ts';
import { Replication } from '../../src/simulate/replication/replication.ts';
import { tiny } from './fixture.ts';

const ARCHS: Architecture[] = ['none', 'sidecar', 'ambient'];
const exact = { headroom: 0, cpuTarget: 1, instanceTypes: ['pool'] };

async function nodesOf(s: Scenario, o: Parameters<typeof runPlan>[1]) {
  const { plan } = await runPlan(s, o);
  return Object.fromEntries(plan.rows.map((r) => [`${r.architecture}@${r.growth}`, r.nodes]));
}

describe('bin packing', () => {
  // Nodes of 2 cores, nothing reserved, istiod requesting nothing. Four pods of 450m = 1.8 cores fit one
  // node; a 100m sidecar each makes 2.2 (two nodes); ztunnel 200m + istio-cni 100m per node leave 1.7
  // (two nodes).
  it('a sidecar per pod, or a DaemonSet per node, adds the node that tips the packing', async () => {
    const s = tiny({ replicas: 4, cpu: '450m' });
    expect(ARCHS.map((a) => minNodesLowerBound(s, a, 'pool'))).toEqual([1, 2, 2]);
    const n = await nodesOf(s, exact);
    expect(n).toEqual({ 'none@1': 1, 'sidecar@1': 2, 'ambient@1': 2 });
  });

  // Two pods of 900m: 1.8 cores. Sidecars make 2.0 (still one node); the DaemonSets make 2.1.
  it('the DaemonSets tip the packing where the sidecars do not', async () => {
    const s = tiny({ replicas: 2, cpu: '900m' });
    const { plan } = await runPlan(s, exact);
    expect(plan.rows.map((r) => r.nodes)).toEqual([1, 1, 2]);
    // One node at 0.1 $/h for 730 h; the single zone sends nothing across zones.
    expect(plan.rows[0]!.monthly).toBeCloseTo(73, 9);
    expect(plan.rows[2]!.monthly).toBeCloseTo(146, 9);
    expect(plan.rows[2]!.savingsVsSidecar).toBeCloseTo(-1, 9);
    expect(plan.cheapest['1']!.ambient).toMatchObject({ instanceType: 'pool', nodes: 2, monthly: 146 });
    // ztunnel's chart default (200m, 512Mi) reserved on both nodes, priced at the nodes' unit rates.
    const r = nodeRates(2, 8e9, 0.1);
    const z = plan.rows[2]!.ztunnelForBusiest!;
    expect(z.defaultMonthly).toBeCloseTo(2 * (0.2 * r.cpu + 512 * 1024 ** 2 * r.memory) * 730, 9);
    expect(z.monthly).toBeCloseTo(2 * (z.requests.cpu * r.cpu + z.requests.memory * r.memory) * 730, 9);
    expect(z.requests.cpu).toBeGreaterThan(0);
    expect(plan.rows[0]!.ztunnelForBusiest).toBeNull();
  });

  it('keeps the headroom free: requests <= (1 - headroom) x allocatable on every node', async () => {
    // 1.8 cores fill exactly 90 % of a 2-core node: one node with 10 % headroom, two with 11 %.
    const s = tiny({ replicas: 4, cpu: '450m' });
    expect((await nodesOf(s, { ...exact, headroom: 0.1, architectures: ['none'] }))['none@1']).toBe(1);
    expect((await nodesOf(s, { ...exact, headroom: 0.11, architectures: ['none'] }))['none@1']).toBe(2);
  });
});

// Six pods each using 0.5 core (300 req/s x 10 ms over 6 replicas) on 1-core nodes under a 70 % target:
// one pod per node, so six nodes; growth doubles the pods and the load.
const busy = () => tiny({ vcpu: '1', replicas: 6, cpu: '50m', serviceTime: '10ms', rate: '300/s' });

/**
 * The plan's conditions at every count from 1 to `max`, each judged with a simulation at that count: the
 * pods fit with headroom, the busiest node's planned CPU (its simulated usage spread by requests) is
 * under the target, and every SLO is met.
 */
function exhaustive(s: Scenario, arch: Architecture, max: number, headroom = 0.1, target = 0.7): boolean[] {
  const pool = candidatePool(s, 'pool');
  const out: boolean[] = [];
  for (let n = 1; n <= max; n++) {
    const fits = place(onPool(s, withHeadroom(pool, headroom), n), arch).unschedulable.length === 0;
    const sc = onPool(s, pool, n);
    const x = summarise(sc, simulateArchitecture(sc, arch));
    const cpu = plannedCpu(nodeShares(place(sc, arch)), x.usage).max;
    const slo = x.entryPoints.every((e) => e.slo.every((q) => q.met));
    out.push(fits && cpu <= target * (1 + 1e-12) && slo);
  }
  return out;
}

/**
 * For every growth 1, 2 and architecture: the plan's row is the fewest count of an exhaustive scan up to
 * 14 nodes, then `more` checks the row further.
 */
function forEachExhaustive(
  s: Scenario,
  plan: { rows: PlanRow[] },
  more: (row: PlanRow, first: number) => void,
): void {
  for (const g of [1, 2]) {
    for (const arch of ARCHS) {
      const feasible = exhaustive(growScenario(s, g), arch, 14);
      const first = feasible.indexOf(true) + 1;
      // The check is meaningful only where feasibility is monotone in N, as the search assumes.
      expect(feasible.slice(first - 1).every(Boolean)).toBe(true);
      const row = plan.rows.find((r) => r.growth === g && r.architecture === arch)!;
      expect(row.nodes).toBe(first);
      more(row, first);
    }
  }
}

describe('the search', () => {
  it('finds the true minimum, checked against every node count', async () => {
    const s = busy();
    const { plan } = await runPlan(s, { instanceTypes: ['pool'], growth: [1, 2] });
    forEachExhaustive(s, plan, (row, first) => expect(row.simulated.length).toBeLessThan(first));
    expect(plan.rows.map((r) => r.nodes)).toEqual([6, 6, 6, 12, 12, 12]);
  });

  it('gives the exhaustive answer when chains screen before their first full simulation', async () => {
    // 40 s runs: a screen (8 s, one replication) costs 20 % of a full run, so chains screen.
    const s = busy();
    s.simulation.duration = 40;
    const { plan, stats } = await runPlan(s, { instanceTypes: ['pool'], growth: [1, 2] });
    expect(stats.screens).toBeGreaterThanOrEqual(6);
    // Aimed by its screens, each chain's one full simulation is at its answer.
    forEachExhaustive(s, plan, (row, first) => expect(row.simulated).toEqual([first]));
  }, 120_000);

  it('gives the exhaustive answer when replications stop early (three asked, two when decided)', async () => {
    const s = busy();
    s.simulation.replications = 3;
    const { plan } = await runPlan(s, { instanceTypes: ['pool'] });
    for (const arch of ARCHS) {
      const first = exhaustive(s, arch, 10).indexOf(true) + 1;
      const row = plan.rows.find((r) => r.architecture === arch)!;
      expect(row.nodes).toBe(first);
      expect(row.replications).toBeGreaterThanOrEqual(2);
    }
    expect(plan.rows.some((r) => r.replications === 2)).toBe(true);
    // Stopped early means decided: nothing at the row's count is left open.
    for (const r of plan.rows.filter((x) => x.replications === 2))
      expect(r.undecided.filter((u) => u.nodes === r.nodes)).toEqual([]);
  });

  it('marks a count that rests on an open verdict, in the table and its note', async () => {
    const { plan } = await runPlan(busy(), { instanceTypes: ['pool'] });
    const row = plan.rows.find((r) => r.architecture === 'sidecar')!;
    expect(planTable(plan)).not.toContain('note (?)');
    row.undecided = [
      { constraint: 'slo', nodes: row.nodes!, detail: 'web p99', value: 0.05, half: 0.02, limit: 0.06 },
    ];
    const table = planTable(plan);
    expect(table).toMatch(new RegExp(`sidecar \\*\\s+pool\\s+${row.nodes} \\?`));
    expect(table).toContain(
      `note (?): judged on the mean of the replications, with a 95 % interval that still holds the limit: ` +
        `sidecar/pool (${row.replications} replications): web p99 50.00 ± 20.00 ms against 60.00 ms at ${row.nodes}.`,
    );
  });

  it('never plans fewer nodes for more load', async () => {
    const { plan } = await runPlan(busy(), { instanceTypes: ['pool'], growth: [1, 2, 5, 0.5] });
    for (const arch of ARCHS) {
      const at = (g: number) => plan.rows.find((r) => r.growth === g && r.architecture === arch)!.nodes!;
      expect(at(0.5)).toBeLessThanOrEqual(at(1));
      expect(at(1)).toBeLessThanOrEqual(at(2));
      expect(at(2)).toBeLessThanOrEqual(at(5));
    }
  });

  it('scales replicas up (ceil) and rates by the growth factor', () => {
    const s = busy();
    const g = growScenario(s, 2.5);
    expect(g.services[0]!.replicas).toBe(15);
    expect(g.traffic[0]!.rate).toBe(750);
    expect(s.services[0]!.replicas).toBe(6);
    expect(minNodesLowerBound(onPool(g, candidatePool(g, 'pool'), 1), 'none', PLAN_POOL)).toBe(1);
  });

  it("grows an entry point's connection pool with its rate, so L4 balancing reaches the new pods", () => {
    // 3 pods, a keep-alive pool of 2 per client; 10x: 30 pods, 1,000/s, 20 connections (20 ms each, so
    // about 20 in flight: the pool fills). kube-proxy pins each connection to the pod drawn when it
    // opens: 20 draws reach about 30 (1 - (29/30)^20) = 15 pods, 2 would reach 2.
    const s = tiny({ replicas: 3, nodes: 4, cpu: '10m', serviceTime: '20ms', rate: '100/s' });
    s.traffic[0]!.connection = { type: 'keepalive', poolSize: 2 };
    const g = growScenario(s, 10);
    expect(g.traffic[0]!.connection.poolSize).toBe(20);
    expect(s.traffic[0]!.connection.poolSize).toBe(2);
    const served = (x: Scenario) => {
      const e = new Replication(buildWorld(x, place(x, 'none')), 'pool');
      e.run();
      return e.w.placement.byOwner.get('app/api')!.filter((p) => e.apps.used[p]! > 0).length;
    };
    expect(served(g)).toBeGreaterThanOrEqual(10);
    const fixedPool = structuredClone(g);
    fixedPool.traffic[0]!.connection.poolSize = 2;
    expect(served(fixedPool)).toBeLessThanOrEqual(2);
    // Per-request connections have no pool to grow.
    s.traffic[0]!.connection = { type: 'per-request', poolSize: 0 };
    expect(growScenario(s, 10).traffic[0]!.connection.poolSize).toBe(0);
  });

  it('grows a closed loop by its connections and its cap', () => {
    const s = structuredClone(busy());
    s.traffic[0]!.closedLoop = { connections: 8, rateCap: 300 };
    const g = growScenario(s, 2.5);
    expect(g.traffic[0]!.closedLoop).toEqual({ connections: 20, rateCap: 750 });
    expect(s.traffic[0]!.closedLoop).toEqual({ connections: 8, rateCap: 300 });
  });
});

describe('reuse', () => {
  it('node types of the same shape share their simulations and differ only in price', async () => {
    const s = tiny({ replicas: 12, cpu: '300m', serviceTime: '10ms', rate: '600/s' });
    const { plan, stats } = await runPlan(s, {
      instanceTypes: ['m5.xlarge', 'm6i.xlarge'],
      architectures: ['none'],
    });
    const [m5, m6i] = plan.rows as [PlanRow, PlanRow];
    expect(stats.shared).toBe(m6i.simulated.length);
    expect(stats.simulations).toBe(m5.simulated.length);
    expect(m6i.nodes).toBe(m5.nodes);
    // The second type starts from the first's usage, so it simulates a subset of the same counts.
    expect(m6i.simulated.every((n) => m5.simulated.includes(n))).toBe(true);
    expect(m6i.monthlyNodes! / m5.monthlyNodes!).toBeCloseTo(m6i.pricePerHour / m5.pricePerHour, 9);
  });
});

describe('infeasible plans', () => {
  it('reports an SLO below the service time as infeasible with the closest p99, without throwing', async () => {
    // Every request spends 1 ms in the service: a 0.5 ms p99 cannot be met by any cluster.
    const s = tiny({ slo: '{ p99: 500us }' });
    const { plan } = await runPlan(s, { instanceTypes: ['pool'], architectures: ['ambient'], maxNodes: 16 });
    const row = plan.rows[0]!;
    expect(row).toMatchObject({ feasible: false, nodes: null, monthly: null, cheapest: false });
    expect(row.reason).toMatch(/web p99 .* ms > SLO/);
    const closest = row.closest!.slo[0]!;
    expect(closest).toMatchObject({ entryPoint: 'web', quantile: 'p99', target: 0.0005 });
    expect(closest.best).toBeGreaterThan(0.001);
    expect(closest.best).toBeLessThan(0.01);
    expect(plan.plan).toEqual([]);
    expect(plan.cheapest).toEqual({});
  });

  it('reports a node type too small for the DaemonSets as infeasible without simulating', async () => {
    const s = tiny({ vcpu: '250m', cpu: '10m' });
    const { plan, stats } = await runPlan(s, { instanceTypes: ['pool'], architectures: ['ambient'] });
    expect(plan.rows[0]).toMatchObject({ feasible: false, lowerBound: null, simulated: [] });
    expect(stats.simulations).toBe(0);
  });
});
