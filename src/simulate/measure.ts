// What one replication measured, read off its engine right after it ran, so the engine can be dropped.
import type { Histogram } from '../../sim/index.ts';
import { COMPONENTS, type Component } from '../cluster/index.ts';
import type { DisruptionRecord } from '../events/index.ts';
import { istiodUsage, proxyMemory } from '../mesh/index.ts';
import { ISTIO_CNI_USAGE } from '../scenario/defaults.ts';
import type { Engine } from './engine.ts';
import { proxyConfig } from './proxy-config.ts';
import { CPU_APP } from './request-path.ts';

export interface ProxyMeasure {
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

export interface RepMeasure {
  window: number;
  cpu: Record<Component, number>;
  cpuP95: Record<Component, number>;
  memory: Record<Component, number>;
  entries: Array<{ offered: number; completed: number; failed: number; timedOut: number; inFlight: number }>;
  entryHist: Histogram[];
  edges: Array<{ calls: number; failed: number; retries: number; l7Unhonoured: number }>;
  edgeHist: Histogram[];
  proxies: ProxyMeasure[];
  nodeCpu: Float64Array;
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
  resetBins: Float64Array;
  retryBins: Float64Array;
  readyBins: Float64Array;
  openBins: Float64Array;
}

const zero = (): Record<Component, number> =>
  Object.fromEntries(COMPONENTS.map((c) => [c, 0])) as Record<Component, number>;

export function measure(e: Engine): RepMeasure {
  const w = e.w;
  const s = w.scenario;
  const window = e.duration - e.warmup;
  const pods = w.placement.pods;
  const cpu = zero();
  const memory = zero();
  const nodeCpu = new Float64Array(w.placement.nodes.length);

  const proxies: ProxyMeasure[] = [];
  for (let p = 0; p < w.nProxies; p++) {
    const cls = w.classes[w.proxyClass[p]!]!;
    const n = e.proxyRequests[p]!;
    const meanWait = n > 0 ? e.proxyWaitSum[p]! / n : 0;
    const open = e.proxyOpenArea[p]! / window;
    // Keep-alive housekeeping: CPU per open connection per second, off any request's path.
    const used = e.proxyCpu[p]! / window + cls.cost.cpuPerOpenConnection * open;
    const mem = proxyMemory(cls.cost, proxyConfig(w, p), open);
    proxies.push({
      // Against what it may use: its workers, or its CPU limit when that is lower.
      utilisation: e.proxyCpu[p]! / (window * e.workers[p]! * cls.speed),
      meanWait,
      maxWait: e.proxyWaitMax[p]!,
      // Little's law on the line in front of the workers.
      meanQueue: e.proxyWaitSum[p]! / window,
      requests: e.proxyRequests[p]!,
      cpu: used,
      memory: mem,
      open,
      handshakes: e.proxyHandshakes[p]!,
      newConnections: e.proxyNewConnections[p]!,
    });
    cpu[cls.component] += used;
    memory[cls.component] += mem;
    nodeCpu[w.proxyNode[p]!]! += used;
  }

  let ztunnels = 0;
  let sidecars = 0;
  let waypoints = 0;
  for (const pod of pods) {
    if (pod.node < 0) continue;
    if (pod.kind === 'app') {
      const c = e.appCpu[pod.index]! / window;
      cpu.application += c;
      nodeCpu[pod.node]! += c;
      // Application memory is not simulated: taken as its request (assumption, see README).
      memory.application += pod.requests.application?.memory ?? 0;
    }
    if (pod.hasSidecar) sidecars++;
    if (pod.kind === 'ztunnel') ztunnels++;
    if (pod.kind === 'waypoint') waypoints++;
    if (pod.kind === 'istio-cni') {
      cpu['istio-cni'] += ISTIO_CNI_USAGE.cpu;
      memory['istio-cni'] += ISTIO_CNI_USAGE.memory;
      nodeCpu[pod.node]! += ISTIO_CNI_USAGE.cpu;
    }
  }
  const placed = pods.filter((p) => p.node >= 0).length;
  const cp = istiodUsage(s.mesh, {
    proxies: sidecars + ztunnels + waypoints,
    services: s.services.length,
    pods: placed,
    configObjects: s.waypoints.length + s.services.filter((x) => x.sidecarScope === 'callees').length,
  });
  cpu.istiod = cp.cpu;
  memory.istiod = cp.memory;

  // CPU over time: the bins after the warm-up, in cores.
  const first = Math.floor(e.warmup / e.step);
  const cpuBins = {} as Record<Component, Float64Array>;
  const cpuP95 = zero();
  const slots: Array<[Component, Float64Array]> = [['application', e.cpuBins[CPU_APP]!]];
  for (const [i, c] of w.classes.entries()) slots.push([c.component, e.cpuBins[1 + i]!]);
  for (const [component, bins] of slots) {
    const cores = bins.map((v) => v / e.step);
    cpuBins[component] = cores;
    cpuP95[component] = p95(cores.subarray(first));
  }

  const entries = s.traffic.map((_, i) => ({
    offered: e.entryOffered[i]!,
    completed: e.entryCompleted[i]!,
    failed: e.entryFailed[i]!,
    timedOut: e.entryTimedOut[i]!,
    inFlight: e.entryInFlight(i),
  }));

  return {
    window,
    cpu,
    cpuP95,
    memory,
    entries,
    entryHist: e.entryHist,
    edges: w.edges.map((_, i) => ({
      calls: e.edgeCalls[i]!,
      failed: e.edgeFailed[i]!,
      retries: e.edgeRetries[i]!,
      l7Unhonoured: e.edgeL7Unhonoured[i]!,
    })),
    edgeHist: e.edgeHist,
    proxies,
    nodeCpu,
    crossZoneBytes: e.crossZoneBytes,
    bytes: e.totalBytes,
    cpuBins,
    arrivalBins: e.arrivalBins,
    errorBins: e.errorBins,
    latencyBins: e.latencyBins,
    controlPlane: { proxies: sidecars + ztunnels + waypoints, ...cp },
    events: e.cal.processed,
    disruption: e.disruption,
    resetBins: e.resetBins,
    retryBins: e.retryBins,
    readyBins: e.readyBins,
    openBins: e.openBins,
  };
}

function p95(values: Float64Array): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)]!;
}
