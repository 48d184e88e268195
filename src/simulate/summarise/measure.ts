// What one replication measured, read off it right after it ran, so the replication can be dropped.
import type { Histogram } from '../../../sim/index.ts';
import { COMPONENTS, type Component } from '../../cluster/index.ts';
import type { AutoscaleRecord, DisruptionRecord } from '../../events/index.ts';
import { controlPlaneLoad, istiodUsage, nodeAgentUsage, podsPerNode } from '../../mesh/index.ts';
import { CPU_APP, CPU_PROXIES } from '../replication/kinds.ts';
import type { Usage } from '../replication/node-cpu.ts';
import type { Replication } from '../replication/replication.ts';
import { proxyMemoryUse } from '../world/memory.ts';

export interface ProxyMeasure {
  /** Where it ran last (-1: never scheduled, a standby pod its autoscaler did not need). */
  node: number;
  utilisation: number;
  meanWait: number;
  maxWait: number;
  meanQueue: number;
  requests: number;
  cpu: number;
  memory: number;
  open: number;
  handshakes: number;
  newConnections: number;
}

/** One node's processor over the measured window. */
export interface NodeCpuMeasure {
  /** Cores of work offered to it: CPU its jobs brought within the window per second, plus background.
   * Above its allocatable cores the node is overloaded (work piles up). */
  demand: number;
  /** Busy cores (jobs and background) over allocatable cores. */
  utilisation: number;
  /** Seconds every core of it was in use. */
  saturated: number;
}

/** Core-seconds a component's containers wanted and got, and what their limits or rivals refused. */
export interface CpuShareMeasure {
  wanted: number;
  served: number;
  throttled: number;
  starved: number;
}

export interface RepMeasure {
  window: number;
  /** Width of the time bins (the scenario's step, widened for long runs: series-step.ts). */
  step: number;
  cpu: Record<Component, number>;
  cpuP95: Record<Component, number>;
  memory: Record<Component, number>;
  entries: Array<{
    offered: number;
    completed: number;
    failed: number;
    timedOut: number;
    inFlight: number;
    /** Core-seconds its load generators' containers wanted and got, and what held them back. */
    client: CpuShareMeasure;
  }>;
  entryHist: Histogram[];
  edges: Array<{
    calls: number;
    failed: number;
    retries: number;
    l7Unhonoured: number;
    waypointBypassed: number;
    /** Measured attempts the callee's proxy refused for their TLS (replication/refusals.ts). */
    mtlsRefused: number;
    /** Measured attempts whose caller's sidecar was not given the callee (passthrough or REGISTRY_ONLY). */
    passthrough: number;
    /** Endpoints its balancing Envoys ejected (outlier detection) during the measured window. */
    ejections: number;
    /** Measured attempts the balancing Envoy's circuit breakers refused. */
    overflows: number;
    /** Measured retries the balancing Envoy's retry limit stopped. */
    retryOverflows: number;
    /** Measured attempts reset at their per-try timeout. */
    perTryTimeouts: number;
  }>;
  /** Versions and request mixes (replication/mixes.ts): its counters, read as they are. */
  mixes: {
    behaviourCalls: Float64Array;
    versionCalls: Float64Array;
    splitUnhonoured: Float64Array;
    entryRouteHist: Histogram[];
  };
  /** Calls failed at every depth, and requests failed as users see them (entry points), whole run. */
  callsFailed: number;
  requestsFailed: number;
  edgeHist: Histogram[];
  proxies: ProxyMeasure[];
  nodeCpu: Float64Array;
  nodes: NodeCpuMeasure[];
  cpuShares: Record<Component, CpuShareMeasure>;
  crossZoneBytes: number;
  bytes: number;
  /** Per time bin. */
  cpuBins: Record<Component, Float64Array>;
  arrivalBins: Float64Array;
  errorBins: Float64Array;
  latencyBins: Histogram[];
  controlPlane: { proxies: number; pushesPerSecond: number; cpu: number; memory: number };
  events: number;
  disruption: DisruptionRecord[];
  autoscaling: AutoscaleRecord[];
  resetBins: Float64Array;
  retryBins: Float64Array;
  readyBins: Float64Array;
  openBins: Float64Array;
  /** Proxies OOM-killed within the window (replication/oom-kills.ts), by component: how many, how often. */
  oomKills: OomKillMeasure[];
  /** Pods evicted under node memory pressure within the window, and from how many nodes (events/node-pressure.ts). */
  evictions: { pods: number; nodes: number };
}

export interface OomKillMeasure {
  component: Component;
  containers: number;
  kills: number;
}

const zero = (): Record<Component, number> =>
  Object.fromEntries(COMPONENTS.map((c) => [c, 0])) as Record<Component, number>;

export function measure(r: Replication): RepMeasure {
  const w = r.w;
  const s = w.scenario;
  const px = r.proxies;
  const rec = r.recorder;
  const window = r.duration - r.warmup;
  const pods = w.placement.pods;
  const cpu = zero();
  const memory = zero();
  const nodeCpu = new Float64Array(w.placement.nodes.length);
  const usage = r.cpu.usageByContainer(r.cal.now);
  const offeredBy = r.cpu.offeredByContainer();
  const cpuShares = Object.fromEntries(
    COMPONENTS.map((c) => [c, { wanted: 0, served: 0, throttled: 0, starved: 0 }]),
  ) as Record<Component, CpuShareMeasure>;
  const share = (c: Component, id: number) => {
    const x = cpuShares[c];
    x.wanted += offeredBy[id]!;
    x.served += usage.served[id]!;
    x.throttled += usage.throttled[id]!;
    x.starved += usage.starved[id]!;
  };

  // ztunnel holds listeners and a certificate for each captured pod on its own node (mesh/idle.ts).
  const captured = new Float64Array(w.placement.nodes.length);
  for (const pod of pods)
    if (pod.captured && r.pods.node[pod.index]! >= 0) captured[r.pods.node[pod.index]!]!++;

  const proxies: ProxyMeasure[] = [];
  for (let p = 0; p < w.nProxies; p++) {
    const cls = w.classes[w.proxyClass[p]!]!;
    const n = px.requestsOf(p);
    const meanWait = n > 0 ? px.waitSumOf(p) / n : 0;
    const open = px.openArea[p]! / window;
    // What its node gave its requests, plus its background CPU (idle work, pushes) and keep-alive
    // housekeeping per open connection, off any request's path.
    const served = usage.served[p]!;
    const used = served / window + w.proxyIdleCpu[p]! + cls.cost.cpuPerOpenConnection * open;
    share(cls.component, p);
    const pod = w.proxyPod[p]!;
    // One that cannot hold its configuration is dead but for its moments of loading it (world/memory.ts).
    const dead = w.proxyCrashLoop[p] === 1;
    let mem = dead ? 0 : proxyMemoryUse(w, p, open, captured[w.proxyNode[p]!] ?? 0);
    // Memory counts while its pod holds a node (an autoscaler creates and deletes pods; a replacement
    // waiting Pending holds none: Pods.presence).
    mem *= r.pods.presence(pod, r.duration) / window;
    const node = r.pods.node[pod]!;
    proxies.push({
      node,
      // Against what it may use: its workers, or its CPU limit when that is lower. Pushes ran on its main
      // thread, not on a worker.
      utilisation:
        Math.max(0, served - r.host.xds.inWindow[p]!) /
        (window * Math.min(px.workers[p]!, w.containerLimit[p]!)),
      meanWait,
      maxWait: px.waitMaxOf(p),
      // Little's law on the line in front of the workers.
      meanQueue: px.waitSumOf(p) / window,
      requests: px.requestsOf(p),
      cpu: used,
      memory: mem,
      open,
      handshakes: px.handshakesOf(p),
      newConnections: px.newConnectionsOf(p),
    });
    cpu[cls.component] += used;
    memory[cls.component] += mem;
    if (node >= 0) nodeCpu[node]! += used;
  }

  const onNode = podsPerNode(w.placement);
  // The platform DaemonSets' steady CPU, in the application's share of every time bin.
  let daemonCpu = 0;
  for (const pod of pods) {
    // Where it runs now: an autoscaler may have placed a standby pod.
    const node = r.pods.node[pod.index]!;
    if (node < 0) continue;
    if (pod.kind === 'app') {
      const id = w.nProxies + pod.index;
      const c = usage.served[id]! / window;
      share('application', id);
      cpu.application += c;
      nodeCpu[node]! += c;
      // Application memory is not simulated: taken as its request while the pod holds a node
      // (assumption, see README).
      const present = r.pods.presence(pod.index, r.duration) / window;
      memory.application += (pod.requests.application?.memory ?? 0) * present;
    }
    if (pod.kind === 'daemon') {
      // A platform DaemonSet's pod: its usage, steady while it holds its node (world/node-cpu.ts).
      const present = r.pods.presence(pod.index, r.duration) / window;
      const c = (pod.usage?.cpu ?? 0) * present;
      cpu.application += c;
      daemonCpu += c;
      nodeCpu[node]! += c;
      memory.application += (pod.usage?.memory ?? 0) * present;
    }
    if (pod.kind === 'client') {
      const id = w.nProxies + pod.index;
      const c = usage.served[id]! / window;
      share('client', id);
      cpu.client += c;
      nodeCpu[node]! += c;
    }
    if (pod.node < 0) continue;
    const agent = nodeAgentUsage(pod, s.mesh, onNode);
    if (agent) {
      cpu['istio-cni'] += agent.cpu;
      memory['istio-cni'] += agent.memory;
      nodeCpu[pod.node]! += agent.cpu;
    }
  }
  const nodes = r.cpu.cpus.map((cpu, i) => {
    const st = cpu.stats(r.cal.now);
    const background = w.nodeBackground[i]!;
    const allocatable = w.placement.nodes[i]!.allocatable.cpu;
    return {
      demand: r.cpu.offeredOn(i) / window + background,
      utilisation:
        allocatable > 0
          ? Math.min(1, ((st.busy + r.cpu.fastBusyOn(i)) / window + background) / allocatable)
          : 0,
      saturated: st.saturated,
    };
  });
  const load = controlPlaneLoad(s, w.placement);
  // istiod's CPU is what its pushes in this run cost (events/istiod-load.ts); its memory is modelled.
  const cp = { ...istiodUsage(s.mesh, load), ...r.controlPlane };
  cpu.istiod = cp.cpu;
  memory.istiod = cp.memory;

  // CPU over time: the bins after the warm-up, in cores.
  const step = rec.step;
  const first = Math.floor(r.warmup / step);
  const cpuBins = {} as Record<Component, Float64Array>;
  const cpuP95 = zero();
  const slots: Array<[Component, Float64Array]> = [['application', rec.cpuBins[CPU_APP]!]];
  for (const [i, c] of w.classes.entries()) slots.push([c.component, rec.cpuBins[CPU_PROXIES + i]!]);
  for (const [component, bins] of slots) {
    const steady = component === 'application' ? daemonCpu : 0;
    const cores = bins.map((v) => v / step + steady);
    cpuBins[component] = cores;
    cpuP95[component] = p95(cores.subarray(first));
  }

  const oomKills: OomKillMeasure[] = [];
  for (let p = 0; p < w.nProxies; p++) {
    const kills = r.oomKills.kills[p]!;
    if (kills === 0) continue;
    const component = w.classes[w.proxyClass[p]!]!.component;
    let x = oomKills.find((k) => k.component === component);
    if (!x) oomKills.push((x = { component, containers: 0, kills: 0 }));
    x.containers++;
    x.kills += kills;
  }

  const entries = s.traffic.map((_, i) => ({
    offered: rec.entryOffered[i]!,
    completed: rec.entryCompleted[i]!,
    failed: rec.entryFailed[i]!,
    timedOut: rec.entryTimedOut[i]!,
    inFlight: r.entryInFlight(i),
    client: clientShare(w.entryClients[i]!, w.nProxies, offeredBy, usage),
  }));

  return {
    window,
    step,
    cpu,
    cpuP95,
    memory,
    entries,
    entryHist: rec.entryHist,
    edges: w.edges.map((_, i) => ({
      calls: rec.edgeCalls[i]!,
      failed: rec.edgeFailed[i]!,
      retries: rec.edgeRetries[i]!,
      l7Unhonoured: rec.edgeL7Unhonoured[i]!,
      waypointBypassed: rec.edgeWaypointBypassed[i]!,
      mtlsRefused: rec.edgeMtlsRefused[i]!,
      passthrough: rec.edgePassthrough[i]!,
      ejections: r.outliers.edgeEjections[i]!,
      overflows: rec.edgeOverflows[i]!,
      retryOverflows: rec.edgeRetryOverflows[i]!,
      perTryTimeouts: rec.edgePerTryTimeouts[i]!,
    })),
    mixes: {
      behaviourCalls: r.mixes.behaviourCalls,
      versionCalls: r.mixes.versionCalls,
      splitUnhonoured: r.mixes.splitUnhonoured,
      entryRouteHist: r.mixes.entryRouteHist,
    },
    callsFailed: rec.callsFailed,
    requestsFailed: rec.requestsFailed,
    edgeHist: rec.edgeHist,
    proxies,
    oomKills,
    evictions: r.evictions,
    nodeCpu,
    nodes,
    cpuShares,
    crossZoneBytes: rec.crossZoneBytes,
    bytes: rec.totalBytes,
    cpuBins,
    arrivalBins: rec.arrivalBins,
    errorBins: rec.errorBins,
    latencyBins: rec.latencyBins,
    controlPlane: { proxies: load.proxies, ...cp },
    events: r.cal.processed,
    disruption: r.disruption,
    autoscaling: r.autoscaling,
    resetBins: rec.resetBins,
    retryBins: rec.retryBins,
    readyBins: rec.readyBins,
    openBins: rec.openBins,
  };
}

/** CPU of the load generators `pods` (their containers follow the proxies'), summed. */
function clientShare(
  pods: Int32Array,
  nProxies: number,
  offered: Float64Array,
  usage: Usage,
): CpuShareMeasure {
  const x = { wanted: 0, served: 0, throttled: 0, starved: 0 };
  for (const pod of pods) {
    const id = nProxies + pod;
    x.wanted += offered[id]!;
    x.served += usage.served[id]!;
    x.throttled += usage.throttled[id]!;
    x.starved += usage.starved[id]!;
  }
  return x;
}

function p95(values: Float64Array): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)]!;
}
