import { COMPONENTS, type Component, isDaemonSet, type Placement, place } from '../cluster/index.ts';
import type { Resources, Scenario } from '../scenario/index.ts';
import { type ArchResult, placementOf } from '../simulate/index.ts';
import { allocate, type Hosted } from './allocate.ts';
import { type CostBreakdown, MESH_COMPONENTS, type PoolCost } from './breakdown.ts';
import { GiB, HOURS_PER_MONTH, SECONDS_PER_MONTH } from './constants.ts';

/** Nodes that hosted a pod other than a DaemonSet's: at the start, or an autoscaled pod at some point. */
function usedNodes(p: Placement, hosted: Hosted): Set<number> {
  const used = new Set<number>();
  for (const pod of p.pods)
    if (pod.node >= 0 && !isDaemonSet(pod) && !hosted.has(pod.owner)) used.add(pod.node);
  for (const nodes of hosted.values()) for (const h of nodes) if (h.pods > 0) used.add(h.node);
  return used;
}

function pools(p: Placement, a: ArchResult, used: Set<number>): PoolCost[] {
  if (p.nodes.length !== a.placement.nodes) {
    throw new Error(
      `cost: the results have ${a.placement.nodes} nodes but the scenario places ${p.nodes.length}`,
    );
  }
  const out = new Map<string, PoolCost>();
  for (const n of p.nodes) {
    const acc = out.get(n.pool) ?? {
      pool: n.pool,
      instanceType: n.instanceType,
      count: 0,
      used: 0,
      pricePerHour: n.pricePerHour,
      spot: n.spot,
      monthly: 0,
    };
    acc.count += 1;
    if (used.has(n.index)) acc.used += 1;
    acc.monthly += n.pricePerHour * HOURS_PER_MONTH;
    out.set(n.pool, acc);
  }
  return [...out.values()];
}

/** Where each autoscaled workload's pods ran, time-weighted (absent in results written before it was kept). */
function hostedOf(a: ArchResult): Hosted {
  return new Map(
    (a.autoscaling ?? []).filter((x) => x.podsByNode !== undefined).map((x) => [x.owner, x.podsByNode]),
  );
}

function usage(a: ArchResult): Map<Component, Resources> {
  return new Map(
    a.components.map((c) => [c.component, { cpu: c.cpu.used.mean, memory: c.memory.used.mean }]),
  );
}

function instances(a: ArchResult, c: Component): number {
  return a.components.find((x) => x.component === c)?.instances ?? 0;
}

/**
 * The monthly cost of one simulated architecture. `s` must be the scenario `a` was simulated from. The
 * placement (each pod's node and namespace) is the one `a` carries; a result that crossed a worker
 * thread carries none, and its placement is recomputed (it is deterministic).
 */
export function costOf(s: Scenario, a: ArchResult): CostBreakdown {
  const p = placementOf(a) ?? place(s, a.architecture);
  const hosted = hostedOf(a);
  const used = usedNodes(p, hosted);
  const byPool = pools(p, a, used);
  const nodesHourly = p.nodes.reduce((sum, n) => sum + n.pricePerHour, 0);
  const alloc = allocate(p, usage(a), hosted);
  let idle = 0;
  let over = 0;
  p.nodes.forEach((n, i) => {
    const d = n.pricePerHour - alloc.perNode[i]!;
    if (d >= 0) idle += d;
    else over -= d;
  });
  const byComponent = [...alloc.byComponent]
    .sort(([x], [y]) => COMPONENTS.indexOf(x) - COMPONENTS.indexOf(y))
    .filter(([component, c]) => component !== 'client' || c.cpu + c.memory > 0)
    .map(([component, c]) => ({
      component,
      cpu: c.cpu * HOURS_PER_MONTH,
      memory: c.memory * HOURS_PER_MONTH,
      total: (c.cpu + c.memory) * HOURS_PER_MONTH,
    }));
  const byNamespace = [...alloc.byNamespace]
    .map(([namespace, v]) => ({ namespace, total: v * HOURS_PER_MONTH }))
    .sort((x, y) => (x.namespace < y.namespace ? -1 : x.namespace > y.namespace ? 1 : 0));
  const allocated = byComponent.reduce((sum, c) => sum + c.total, 0);

  const bytesPerSecond = a.network.crossZoneBytesPerSecond.mean;
  const gibPerMonth = (bytesPerSecond * SECONDS_PER_MONTH) / GiB;
  const crossZone = gibPerMonth * s.cost.crossZonePerGiB;
  const proxies = {
    sidecars: instances(a, 'sidecar'),
    ztunnels: instances(a, 'ztunnel'),
    waypoints: instances(a, 'waypoint'),
    feePerHour: s.cost.perProxyFeePerHour,
  };
  const proxyFee =
    (proxies.sidecars + proxies.ztunnels + proxies.waypoints) * proxies.feePerHour * HOURS_PER_MONTH;
  const nodes = nodesHourly * HOURS_PER_MONTH;
  const total = nodes + crossZone + proxyFee;
  const meshMonthly =
    byComponent.filter((c) => MESH_COMPONENTS.includes(c.component)).reduce((sum, c) => sum + c.total, 0) +
    proxyFee;

  const notes: string[] = [];
  if (over > 0) {
    notes.push(
      `usage beyond node capacity: $${(over * HOURS_PER_MONTH).toFixed(2)}/month allocated above node prices`,
    );
  }
  if (p.unschedulable.length > 0) notes.push(`${p.unschedulable.length} unschedulable pods are not costed`);
  if (byPool.some((x) => x.spot)) notes.push('spot pools are priced as given in the scenario');

  return {
    architecture: a.architecture,
    nodes: { count: p.nodes.length, used: used.size, byPool },
    monthly: { nodes, crossZone, proxyFee, total },
    allocation: {
      byComponent,
      byNamespace,
      allocated,
      idle: idle * HOURS_PER_MONTH,
      overAllocated: over * HOURS_PER_MONTH,
    },
    mesh: { monthly: meshMonthly, share: total > 0 ? meshMonthly / total : 0 },
    crossZone: { bytesPerSecond, gibPerMonth, perGiB: s.cost.crossZonePerGiB },
    proxies,
    notes,
  };
}
