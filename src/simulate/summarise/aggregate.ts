// Turns the replications of one architecture into its results: components, entry points, edges, nodes
// and totals here; proxies, time series and disruption in their own files.
import {
  COMPONENTS,
  type Component,
  describeMemoryRisk,
  memoryRisks,
  requestedByComponent,
} from '../../cluster/index.ts';
import { EndpointKind } from '../../mesh/index.ts';
import { Passthrough } from '../../scenario/index.ts';
import { ENVOY_MTLS_REFUSED, templateFor, type World } from '../world/index.ts';
import { autoscalingSection, autoscalingWarnings } from './autoscaling.ts';
import { clientCpu, clientWarnings } from './client-cpu.ts';
import { averageRecords } from './disruption.ts';
import { countEstimate, estimate, latency, mean, rateEstimate } from './estimate.ts';
import type { RepMeasure } from './measure.ts';
import { crashLoops, crashLoopWarning, evictionWarning, oomKills, oomKillWarning } from './memory-kills.ts';
import { podMemoryUse } from './memory-use.ts';
import { mixesResult, splitWarnings } from './mixes.ts';
import { proxySections } from './proxies.ts';
import type { ArchResult, EntryResult } from './results.ts';
import { timeseries } from './timeseries.ts';

export function aggregate(w: World, reps: RepMeasure[]): ArchResult {
  const s = w.scenario;
  const p = w.placement;
  const window = reps[0]!.window;
  const est = (f: (r: RepMeasure) => number) => estimate(reps.map(f));
  const count = (f: (r: RepMeasure) => number) => countEstimate(reps.map(f));
  const rate = (f: (r: RepMeasure) => number) => rateEstimate(reps.map(f));
  const requested = requestedByComponent(p);
  // Placed containers of each component, in one pass over the pods (150,000 of them on huge).
  const placed = new Map<Component, number>();
  for (const pod of p.pods) {
    if (pod.node < 0) continue;
    for (const c of Object.keys(pod.requests) as Component[]) placed.set(c, (placed.get(c) ?? 0) + 1);
  }
  const instances = (c: Component) => placed.get(c) ?? 0;

  const components = COMPONENTS.filter(
    (c) => c !== 'client' && (instances(c) > 0 || c === 'application'),
  ).map((c) => ({
    component: c,
    instances: instances(c),
    cpu: {
      used: est((r) => r.cpu[c]),
      p95: est((r) => r.cpuP95[c] ?? r.cpu[c]),
      requested: requested[c].cpu,
    },
    memory: { used: est((r) => r.memory[c]), requested: requested[c].memory },
    cpuShare: {
      wanted: mean(reps.map((r) => r.cpuShares[c].wanted / window)),
      got: mean(reps.map((r) => r.cpuShares[c].served / window)),
      throttled: mean(reps.map((r) => r.cpuShares[c].throttled / window)),
      starved: mean(reps.map((r) => r.cpuShares[c].starved / window)),
    },
  }));
  const counted = components.map((c) => c.component);
  const sum = (r: Record<Component, number>) => counted.reduce((a, c) => a + r[c], 0);

  const entryPoints: EntryResult[] = s.traffic.map((ep, i) => {
    const lat = latency(reps.map((r) => r.entryHist[i]!));
    const slo: EntryResult['slo'] = [];
    for (const [key, value] of Object.entries(ep.slo ?? {}) as Array<['p50' | 'p99' | 'p999', number]>) {
      // No completions: no latency (NaN here, null in JSON), and an SLO nobody was served under is failed.
      const got = lat[key].mean;
      slo.push({ quantile: key, target: value, value: got, met: Number.isFinite(got) && got <= value });
    }
    return {
      name: ep.name,
      to: ep.to,
      offered: count((r) => r.entries[i]!.offered),
      completed: count((r) => r.entries[i]!.completed),
      failed: count((r) => r.entries[i]!.failed),
      timedOut: count((r) => r.entries[i]!.timedOut),
      inFlight: count((r) => r.entries[i]!.inFlight),
      waypointBypassed: count((r) => r.edges[w.entryEdges[i]!]!.waypointBypassed),
      // What completed in the measured window, not what was offered.
      throughput: rate((r) => r.entries[i]!.completed / window),
      clientCpu: clientCpu(w, i, reps, window),
      latency: lat,
      slo,
    };
  });

  // A callee with a circuit breaker that refuses requests.
  // Its clusters' policies: the service's, and its subsets' where they have their own.
  const policies = (to: number) => [w.services[to]!.trafficPolicy, ...(w.services[to]!.subsetPolicies ?? [])];
  const breaker = (to: number) =>
    policies(to).some((p) => p?.maxRequests !== undefined || p?.maxConnections !== undefined);
  // A callee whose DestinationRule limits its callers' retries.
  const retryLimit = (to: number) =>
    policies(to).some((p) => p?.maxRetries !== undefined || p?.retryBudget !== undefined);
  const edges = w.edges.map((e, i) => ({
    name: e.name,
    rate: rate((r) => r.edges[i]!.calls / window),
    failed: count((r) => r.edges[i]!.failed),
    retries: count((r) => r.edges[i]!.retries),
    l7Unhonoured: count((r) => r.edges[i]!.l7Unhonoured),
    waypointBypassed: count((r) => r.edges[i]!.waypointBypassed),
    outlierEjections: count((r) => r.edges[i]!.ejections),
    ...(breaker(e.to) ? { circuitBreakerOverflows: count((r) => r.edges[i]!.overflows) } : {}),
    ...(retryLimit(e.to) ? { retryOverflows: count((r) => r.edges[i]!.retryOverflows) } : {}),
    ...(e.perTryTimeout < Number.POSITIVE_INFINITY
      ? { perTryTimeouts: count((r) => r.edges[i]!.perTryTimeouts) }
      : {}),
    ...(w.services[e.to]!.mtls === 'STRICT' || e.envoyTls === ENVOY_MTLS_REFUSED
      ? { mtlsRefused: count((r) => r.edges[i]!.mtlsRefused) }
      : {}),
    ...(e.passthrough === Passthrough.AllowAny ? { passthrough: count((r) => r.edges[i]!.passthrough) } : {}),
    ...(e.passthrough === Passthrough.RegistryOnly
      ? { registryOnlyRefused: count((r) => r.edges[i]!.passthrough) }
      : {}),
    routes: routesOf(w, i),
    // Distributions are charted per entry point; per edge the quantiles suffice.
    latency: latency(
      reps.map((r) => r.edgeHist[i]!),
      false,
    ),
  }));

  const { busiestProxies, proxyMax, connections } = proxySections(w, reps, window);

  const perNode = p.nodes.map((n, i) => {
    const req = p.requested[i]!;
    return {
      name: n.name,
      pool: n.pool,
      zone: n.zone,
      allocatable: n.allocatable,
      requested: req.total,
      requestedBy: req.byComponent,
      cpuUsed: mean(reps.map((r) => r.nodeCpu[i]!)),
      cpuDemand: mean(reps.map((r) => r.nodes[i]!.demand)),
      cpuUtilisation: mean(reps.map((r) => r.nodes[i]!.utilisation)),
      saturatedSeconds: mean(reps.map((r) => r.nodes[i]!.saturated)),
      pods: req.pods,
    };
  });

  const warnings: string[] = [];
  for (const x of p.unschedulable) warnings.push(`unschedulable: ${x.name}: ${x.reason}`);
  // A proxy over its limit is killed in the simulation (replication/oom-kills.ts), not a risk.
  const proxies = new Set<Component>(w.classes.map((c) => c.component));
  const memoryAtRisk = memoryRisks(p, podMemoryUse(w, reps)).filter(
    (r) => r.kind === 'node' || !proxies.has(r.component!),
  );
  const loops = crashLoops(w);
  for (const x of loops) warnings.push(crashLoopWarning(x));
  const kills = oomKills(reps);
  for (const x of kills) warnings.push(oomKillWarning(x));
  const evictions = {
    pods: reps.reduce((a, r) => a + r.evictions.pods, 0) / reps.length,
    nodes: reps.reduce((a, r) => a + r.evictions.nodes, 0) / reps.length,
  };
  if (evictions.pods > 0) warnings.push(evictionWarning(evictions));
  for (const r of memoryAtRisk) warnings.push(describeMemoryRisk(r));
  entryPoints.forEach((e, i) => {
    warnings.push(...saturationWarnings(e, s.traffic[i]!.closedLoop?.connections));
    warnings.push(...clientWarnings(e, s.traffic[i]!.closedLoop !== undefined));
  });
  const autoscaling = autoscalingSection(reps, s.simulation.warmup, s.simulation.duration);
  warnings.push(...autoscalingWarnings(autoscaling, reps.length));
  edges.forEach((e) => {
    if (e.l7Unhonoured.mean > 0)
      warnings.push(
        `${e.name}: needs L7 (retries, routing, authz) but its path has no L7 proxy; add a waypoint`,
      );
  });
  edges.forEach((e, i) => {
    if (e.waypointBypassed.mean > 0) warnings.push(bypassWarning(w, i, e.waypointBypassed.mean));
    const callee = w.services[w.edges[i]!.to]!.key;
    if ((e.passthrough?.mean ?? 0) > 0)
      warnings.push(
        `${e.name}: ${fmtCount(e.passthrough!.mean)} calls through the caller's PassthroughCluster: its sidecar is not given ${callee} (exportTo or Sidecar egress hosts), so they go in plain text with no retries, VirtualService or DestinationRule`,
      );
    if ((e.registryOnlyRefused?.mean ?? 0) > 0)
      warnings.push(
        `${e.name}: ${fmtCount(e.registryOnlyRefused!.mean)} calls refused by the caller's sidecar under REGISTRY_ONLY: it is not given ${callee} (exportTo or Sidecar egress hosts)`,
      );
    const refused = e.mtlsRefused?.mean ?? 0;
    if (refused > 0)
      warnings.push(
        w.edges[i]!.envoyTls === ENVOY_MTLS_REFUSED
          ? `${e.name}: ${fmtCount(refused)} calls refused: its DestinationRule's tls ISTIO_MUTUAL sends ${callee} mTLS and its PeerAuthentication is DISABLE`
          : `${e.name}: ${fmtCount(refused)} calls refused: they reach ${callee} in plain text (callers outside the mesh, or a DestinationRule's tls DISABLE) and its PeerAuthentication is STRICT`,
      );
  });

  const mixes = mixesResult(w, reps);
  warnings.push(...splitWarnings(mixes));

  const cpuRequested = counted.reduce((a, c) => a + requested[c].cpu, 0);
  const memoryRequested = counted.reduce((a, c) => a + requested[c].memory, 0);
  return {
    architecture: p.arch,
    placement: {
      nodes: p.nodes.length,
      nodesUsed: p.nodesUsed,
      pods: p.pods.filter((x) => x.node >= 0).length,
      unschedulable: p.unschedulable.map((x) => ({ name: x.name, reason: x.reason })),
      memoryAtRisk,
      crashLoops: loops,
      perNode,
    },
    oomKills: kills,
    evictions,
    components,
    totals: {
      cpuUsed: est((r) => sum(r.cpu)),
      cpuRequested,
      memoryUsed: est((r) => sum(r.memory)),
      memoryRequested,
    },
    entryPoints,
    edges,
    busiestProxies,
    proxyMax,
    connections,
    network: {
      crossZoneBytesPerSecond: rate((r) => r.crossZoneBytes / window),
      bytesPerSecond: rate((r) => r.bytes / window),
    },
    controlPlane: reps[0]!.controlPlane,
    timeseries: timeseries(reps, reps[0]!.step, counted),
    autoscaling,
    disruption: {
      events: reps[0]!.disruption.map((_, i) => averageRecords(reps.map((r) => r.disruption[i]!))),
    },
    ...(mixes ? { mixes } : {}),
    warnings,
    events: reps.reduce((a, r) => a + r.events, 0),
  };
}

/**
 * The migration guide's enforcement gap: a sidecar (or a client outside the mesh) sends straight to the
 * callee's ztunnel, so the L7 policy bound to the callee's waypoint is not applied to its calls.
 * https://istio.io/latest/docs/ambient/migrate/ (and src/mesh/route.ts for the routing rule).
 */
function bypassWarning(w: World, edgeId: number, n: number): string {
  const e = w.edges[edgeId]!;
  const callers = e.entry >= 0 ? w.entryClients[e.entry]! : w.services[e.from]!.pods;
  const sidecars = callers.some((pod) => w.podKind[pod] === EndpointKind.Sidecar);
  const who = sidecars ? 'sidecar callers' : 'callers outside the mesh';
  return `${e.name}: waypoint bypassed: L7 policy not enforced for ${fmtCount(n)} calls from ${who}`;
}

function fmtCount(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/**
 * Share of the measured requests still in flight at the end above which the run says the system is
 * saturated: a queue that keeps growing never reaches steady state, and its latency describes only the
 * few requests that got through. ASSUMPTION: 1 % (a stable system holds about rate x latency in flight,
 * far below 1 % of a window's requests unless the latency is a sizeable part of the window).
 */
export const SATURATED_IN_FLIGHT_SHARE = 0.01;

/**
 * `loop`: a closed loop's connections. Its requests in flight are at most one per connection by design
 * (it paces itself to what comes back), so only more than that would say anything.
 */
function saturationWarnings(e: EntryResult, loop?: number): string[] {
  const out: string[] = [];
  const offered = e.offered.mean;
  const inFlight = e.inFlight.mean;
  if (
    offered > 0 &&
    inFlight > SATURATED_IN_FLIGHT_SHARE * offered &&
    (loop === undefined || inFlight > loop)
  ) {
    const share = ((e.inFlight.mean / offered) * 100).toFixed(1);
    out.push(
      `${e.name}: ${share} % of its measured requests were still in flight at the end: the system is saturated (offered load above capacity), latency and throughput describe only what got through`,
    );
  }
  if (offered > 0 && e.completed.mean === 0)
    out.push(`${e.name}: no request completed in the measured window: it has no latency and fails any SLO`);
  return out;
}

/** The distinct hop paths an edge's calls can take under this placement. */
function routesOf(w: World, edgeId: number): string[] {
  const e = w.edges[edgeId]!;
  const callers = e.entry >= 0 ? w.entryClients[e.entry]! : w.services[e.from]!.pods;
  const callees = w.services[e.to]!.pods;
  // One pod of each endpoint kind stands for all pods of that kind.
  const oneOfEachKind = (pods: Int32Array) => {
    const byKind = new Map<number, number>();
    for (const pod of pods) if (!byKind.has(w.podKind[pod]!)) byKind.set(w.podKind[pod]!, pod);
    return [...byKind.values()];
  };
  const names = new Set<string>();
  for (const src of oneOfEachKind(callers))
    for (const dst of oneOfEachKind(callees))
      names.add(w.templates[templateFor(e, w.podKind[src]!, w.podKind[dst]!)]!.name);
  return [...names].sort();
}
