// Turns the replications of one architecture into its results: means with 95 % confidence intervals,
// merged latency distributions, the busiest proxies and the time series.
import { confidenceInterval, Histogram } from '../../sim/index.ts';
import {
  COMPONENTS,
  type Component,
  describeMemoryRisk,
  memoryRisks,
  requestedByComponent,
} from '../cluster/index.ts';
import type { DisruptionRecord } from '../events/index.ts';
import type { RepMeasure } from './measure.ts';
import { podMemoryUse } from './memory-use.ts';
import type { ArchResult, EntryResult, Estimate, LatencySummary } from './results.ts';
import { templateFor, type World } from './world.ts';

const CDF_POINTS = 101;
const BUSIEST = 10;

export function estimate(samples: number[]): Estimate {
  if (samples.length === 1) {
    const v = samples[0]!;
    return { mean: v, half: 0, lo: v, hi: v };
  }
  const ci = confidenceInterval(samples);
  return { mean: ci.mean, half: ci.half, lo: ci.lo, hi: ci.hi };
}

function latency(hists: Histogram[], withCdf = true): LatencySummary {
  const q = (p: number) => estimate(hists.map((h) => (h.count > 0 ? h.quantile(p) : 0)));
  const merged = new Histogram({ lowest: 1e-6, highest: 1e3 });
  for (const h of hists) merged.merge(h);
  return {
    mean: estimate(hists.map((h) => (h.count > 0 ? h.mean : 0))),
    p50: q(0.5),
    p90: q(0.9),
    p99: q(0.99),
    p999: q(0.999),
    cdf: withCdf && merged.count > 0 ? merged.cdf(CDF_POINTS) : [],
  };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

export function aggregate(w: World, reps: RepMeasure[]): ArchResult {
  const s = w.scenario;
  const p = w.placement;
  const window = reps[0]!.window;
  const est = (f: (r: RepMeasure) => number) => estimate(reps.map(f));
  const requested = requestedByComponent(p);
  const instances = (c: Component) =>
    p.pods.filter((pod) => pod.node >= 0 && pod.requests[c] !== undefined).length;

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
  }));
  const counted = components.map((c) => c.component);
  const sum = (r: Record<Component, number>) => counted.reduce((a, c) => a + r[c], 0);

  const entryPoints: EntryResult[] = s.traffic.map((ep, i) => {
    const lat = latency(reps.map((r) => r.entryHist[i]!));
    const slo: EntryResult['slo'] = [];
    for (const [key, value] of Object.entries(ep.slo ?? {}) as Array<['p50' | 'p99' | 'p999', number]>) {
      const got = lat[key].mean;
      slo.push({ quantile: key, target: value, value: got, met: got <= value });
    }
    return {
      name: ep.name,
      to: ep.to,
      offered: est((r) => r.entries[i]!.offered),
      completed: est((r) => r.entries[i]!.completed),
      failed: est((r) => r.entries[i]!.failed),
      timedOut: est((r) => r.entries[i]!.timedOut),
      inFlight: est((r) => r.entries[i]!.inFlight),
      throughput: est((r) => r.entries[i]!.completed / window),
      latency: lat,
      slo,
    };
  });

  const edges = w.edges.map((e, i) => ({
    name: e.name,
    rate: est((r) => r.edges[i]!.calls / window),
    failed: est((r) => r.edges[i]!.failed),
    retries: est((r) => r.edges[i]!.retries),
    l7Unhonoured: est((r) => r.edges[i]!.l7Unhonoured),
    routes: routesOf(w, i),
    // Distributions are charted per entry point; per edge the quantiles suffice.
    latency: latency(
      reps.map((r) => r.edgeHist[i]!),
      false,
    ),
  }));

  const order = [...Array(w.nProxies).keys()].sort(
    (a, b) => reps[0]!.proxies[b]!.utilisation - reps[0]!.proxies[a]!.utilisation || a - b,
  );
  const busiestProxies = order.slice(0, BUSIEST).map((px) => {
    const m = (f: (x: RepMeasure['proxies'][number]) => number) => mean(reps.map((r) => f(r.proxies[px]!)));
    return {
      name: w.proxyName[px]!,
      component: w.classes[w.proxyClass[px]!]!.component,
      node: p.nodes[w.proxyNode[px]!]!.name,
      utilisation: m((x) => x.utilisation),
      meanWait: m((x) => x.meanWait),
      maxWait: Math.max(...reps.map((r) => r.proxies[px]!.maxWait)),
      meanQueue: m((x) => x.meanQueue),
      requestsPerSecond: m((x) => x.requests) / window,
      cpu: m((x) => x.cpu),
      memory: m((x) => x.memory),
      openConnections: m((x) => x.open),
      handshakesPerSecond: m((x) => x.handshakes) / window,
    };
  });

  const proxyMax: ArchResult['proxyMax'] = {};
  for (let px = 0; px < w.nProxies; px++) {
    const c = w.classes[w.proxyClass[px]!]!.component;
    const cpu = mean(reps.map((r) => r.proxies[px]!.cpu));
    const memory = mean(reps.map((r) => r.proxies[px]!.memory));
    const cur = proxyMax[c];
    if (!cur || cpu > cur.cpu)
      proxyMax[c] = {
        cpu,
        memory: Math.max(memory, cur?.memory ?? 0),
        node: p.nodes[w.proxyNode[px]!]!.name,
      };
    else if (memory > cur.memory) cur.memory = memory;
  }

  const connections: ArchResult['connections'] = {};
  for (let px = 0; px < w.nProxies; px++) {
    const c = w.classes[w.proxyClass[px]!]!.component;
    const acc = (connections[c] ??= { handshakesPerSecond: 0, newConnectionsPerSecond: 0, open: 0 });
    acc.handshakesPerSecond += mean(reps.map((r) => r.proxies[px]!.handshakes)) / window;
    acc.newConnectionsPerSecond += mean(reps.map((r) => r.proxies[px]!.newConnections)) / window;
    acc.open += mean(reps.map((r) => r.proxies[px]!.open));
  }

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
      pods: req.pods,
    };
  });

  const bins = reps[0]!.arrivalBins.length;
  const step = s.simulation.timeStep;
  const t = Array.from({ length: bins }, (_, i) => i * step);
  const cpuSeries: ArchResult['timeseries']['cpu'] = {};
  for (const c of counted) {
    if (!reps[0]!.cpuBins[c]) continue;
    cpuSeries[c] = t.map((_, b) => mean(reps.map((r) => r.cpuBins[c][b]!)));
  }
  const p99 = t.map((_, b) => {
    const h = new Histogram({ lowest: 1e-6, highest: 1e3 });
    for (const r of reps) h.merge(r.latencyBins[b]!);
    return h.count > 0 ? h.quantile(0.99) : null;
  });

  const warnings: string[] = [];
  for (const x of p.unschedulable) warnings.push(`unschedulable: ${x.name}: ${x.reason}`);
  const memoryAtRisk = memoryRisks(p, podMemoryUse(w, reps));
  for (const r of memoryAtRisk) warnings.push(describeMemoryRisk(r));
  edges.forEach((e) => {
    if (e.l7Unhonoured.mean > 0)
      warnings.push(
        `${e.name}: needs L7 (retries, routing, authz) but its path has no L7 proxy; add a waypoint`,
      );
  });

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
      perNode,
    },
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
      crossZoneBytesPerSecond: est((r) => r.crossZoneBytes / window),
      bytesPerSecond: est((r) => r.bytes / window),
    },
    controlPlane: reps[0]!.controlPlane,
    timeseries: {
      step,
      t,
      requests: t.map((_, b) => mean(reps.map((r) => r.arrivalBins[b]!)) / step),
      errors: t.map((_, b) => mean(reps.map((r) => r.errorBins[b]!)) / step),
      p99,
      cpu: cpuSeries,
      ready: t.map((_, b) => mean(reps.map((r) => r.readyBins[b]!))),
      connectionsOpen: t.map((_, b) => mean(reps.map((r) => r.openBins[b]!))),
      resets: t.map((_, b) => mean(reps.map((r) => r.resetBins[b]!)) / step),
      retries: t.map((_, b) => mean(reps.map((r) => r.retryBins[b]!)) / step),
    },
    disruption: {
      events: reps[0]!.disruption.map((_, i) => averageRecords(reps.map((r) => r.disruption[i]!))),
    },
    warnings,
    events: reps.reduce((a, r) => a + r.events, 0),
  };
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

/** Averages every number of a disruption record over replications (structure from the first). */
function averageRecords(recs: DisruptionRecord[]): DisruptionRecord {
  const avg = (f: (r: DisruptionRecord) => number | null): number | null => {
    const xs = recs.map(f).filter((x): x is number => x !== null);
    return xs.length === recs.length ? mean(xs) : null;
  };
  const avgMap = (f: (r: DisruptionRecord) => Record<string, number>): Record<string, number> => {
    const keys = [...new Set(recs.flatMap((r) => Object.keys(f(r))))].sort();
    return Object.fromEntries(keys.map((k) => [k, mean(recs.map((r) => f(r)[k] ?? 0))]));
  };
  const first = recs[0]!;
  return {
    ...first,
    completed: recs.every((r) => r.completed),
    rolloutDuration: avg((r) => r.rolloutDuration),
    settledAfter: avg((r) => r.settledAfter),
    podsRestarted: mean(recs.map((r) => r.podsRestarted)),
    daemonSetPodsReplaced: mean(recs.map((r) => r.daemonSetPodsReplaced)),
    podsPreempted: mean(recs.map((r) => r.podsPreempted)),
    connectionsReset: mean(recs.map((r) => r.connectionsReset)),
    connectionsDrained: mean(recs.map((r) => r.connectionsDrained)),
    pooledConnectionsReset: mean(recs.map((r) => r.pooledConnectionsReset)),
    resetsByService: avgMap((r) => r.resetsByService),
    requestsFailed: mean(recs.map((r) => r.requestsFailed)),
    requestsRetried: mean(recs.map((r) => r.requestsRetried)),
    lowestReadyCapacity: avgMap((r) => r.lowestReadyCapacity),
    surge: {
      cpu: mean(recs.map((r) => r.surge.cpu)),
      memory: mean(recs.map((r) => r.surge.memory)),
      pendingSeconds: mean(recs.map((r) => r.surge.pendingSeconds)),
      pendingPods: mean(recs.map((r) => r.surge.pendingPods)),
    },
    extraNodeHours: mean(recs.map((r) => r.extraNodeHours)),
    p99Window: avg((r) => r.p99Window),
    p99Before: avg((r) => r.p99Before),
  };
}
