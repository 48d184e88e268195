// HorizontalPodAutoscalers running in the simulation: one per autoscaled service or waypoint Deployment,
// and istiod's. Like metrics-server, each scrapes its pods' cumulative CPU every metrics window and serves
// the rate between the last two scrapes; like kube-controller-manager, it syncs every sync period, turns
// the metrics into a replica count (hpa.ts) and scales its ReplicaSet (replica-pods.ts). istiod is not
// simulated request by request: its replicas share evenly the CPU of the xDS pushes it makes to the
// proxies connected at each moment, steady churn and the run's own endpoint events (istiod-load.ts).
import { gatewayOwner, type PodSpec, podRequests } from '../cluster/index.ts';
import {
  type Autoscaling,
  autoscaled,
  initialReplicas,
  type Scenario,
  scaledReplicas,
} from '../scenario/index.ts';
import type { DisruptionHost } from './host.ts';
import { HpaState, metricReplicas, type PodMetric } from './hpa.ts';
import { IstiodLoad } from './istiod-load.ts';
import { PushAudience } from './push-audience.ts';
import { SlotState } from './replica-pods.ts';
import { type AutoscaleRecord, newRecord, ReplicaSet } from './replica-set.ts';
import type { Versions } from './versions.ts';

/**
 * kube-controller-manager's --horizontal-pod-autoscaler-cpu-initialization-period (5 min): while a pod is
 * younger, a CPU metric taken before its readiness plus a window is not trusted (kubernetes/kubernetes
 * v1.31.0 pkg/controller/podautoscaler/config/v1alpha1/defaults.go, replica_calculator.go groupPods).
 */
const CPU_INITIALIZATION_PERIOD = 300;

export type { AutoscaleRecord };

class Autoscaler extends ReplicaSet {
  private readonly a: Autoscaling;
  private readonly hpa: HpaState;
  private readonly istiod: boolean;
  /** Cumulative CPU seconds at the last two scrapes, and when they were taken. */
  private readonly last: Float64Array;
  private readonly prev: Float64Array;
  private readonly sampledAt: Float64Array;
  private readonly prevAt: Float64Array;
  /** istiod: each replica's CPU seconds, integrated from its share between scrapes. */
  private readonly istiodUsed: Float64Array;
  /** istiod's pushes over the run (null for other workloads), and its CPU seconds at the last scrape. */
  private readonly istiodLoad: IstiodLoad | null;
  private istiodCpuAt = 0;

  constructor(
    host: DisruptionHost,
    s: Scenario,
    rec: AutoscaleRecord,
    a: Autoscaling,
    pods: number[],
    versions: Versions,
    istiodLoad: IstiodLoad | null,
    onProxies: (delta: number, owner: string, sidecar: boolean) => void,
  ) {
    super(host, rec, pods, versions, s.simulation.warmup, onProxies);
    this.a = a;
    this.istiod = rec.kind === 'istiod';
    this.istiodLoad = this.istiod ? istiodLoad : null;
    this.hpa = new HpaState(a, this.set.count(), host.now);
    const n = pods.length;
    this.last = new Float64Array(n);
    this.prev = new Float64Array(n);
    this.sampledAt = new Float64Array(n).fill(Number.NaN);
    this.prevAt = new Float64Array(n).fill(Number.NaN);
    this.istiodUsed = new Float64Array(n);
    // metrics-server has scraped the pods running before the run: their counters start at 0 then.
    this.set.state.forEach((st, i) => {
      if (st === SlotState.Ready) this.sampledAt[i] = host.now;
    });
    // The scrape is scheduled first so that a sync at the same instant reads it.
    const end = s.simulation.duration;
    this.every(a.metricsWindow, end, () => this.scrape());
    this.every(a.syncPeriod, end, () => this.sync());
  }

  /** Runs `fn` every `period` seconds up to the end of the run (a run drained past its end stops). */
  private every(period: number, end: number, fn: () => void): void {
    const tick = () => {
      fn();
      if (this.host.now + period <= end) this.host.after(period, tick);
    };
    if (this.host.now + period <= end) this.host.after(period, tick);
  }

  private cpuSeconds(i: number): number {
    return this.istiod ? this.istiodUsed[i]! : this.host.podCpuSeconds(this.set.pods[i]!, this.a.container);
  }

  /**
   * The CPU request the metric divides by: the pod's summed requests, or its metric's container's; null
   * when that container is missing or requests no CPU, which fails the whole metric (kubernetes v1.31
   * pkg/controller/podautoscaler/replica_calculator.go calculatePodRequests: "missing request for",
   * metrics/client.go getContainerMetrics: "container %s not present in metrics for pod").
   */
  private request(pod: PodSpec): number | null {
    const c = this.a.container;
    if (!c) return podRequests(pod).cpu;
    const container =
      c === 'istio-proxy' ? (pod.hasSidecar ? pod.requests.sidecar : undefined) : pod.requests.application;
    const cpu = container?.cpu;
    return cpu && cpu > 0 ? cpu : null;
  }

  private scrape(): void {
    const host = this.host;
    const now = host.now;
    if (this.istiodLoad) {
      // istiod's load since the last scrape is shared by its ready replicas.
      const cpu = this.istiodLoad.cpuSeconds();
      const ready = this.set.state.filter((s) => s === SlotState.Ready).length;
      const share = ready > 0 ? (cpu - this.istiodCpuAt) / ready : 0;
      this.istiodCpuAt = cpu;
      this.set.state.forEach((s, i) => {
        if (s === SlotState.Ready) this.istiodUsed[i]! += share;
      });
    }
    this.set.state.forEach((s, i) => {
      if (s !== SlotState.Starting && s !== SlotState.Ready) {
        this.sampledAt[i] = Number.NaN;
        return;
      }
      this.prev[i] = this.last[i]!;
      this.prevAt[i] = this.sampledAt[i]!;
      this.last[i] = this.cpuSeconds(i);
      this.sampledAt[i] = now;
    });
  }

  /**
   * The metric of each running pod (Pending and leaving pods are left out, as groupPods does); null when a
   * pod has no request for it (see request).
   */
  private metrics(): PodMetric[] | null {
    const now = this.host.now;
    const out: PodMetric[] = [];
    let failed = false;
    this.set.state.forEach((s, i) => {
      if (failed || (s !== SlotState.Starting && s !== SlotState.Ready)) return;
      const request = this.request(this.host.placement.pods[this.set.pods[i]!]!);
      if (request === null) {
        failed = true;
        return;
      }
      const span = this.sampledAt[i]! - this.prevAt[i]!;
      // No rate yet (a pod younger than two scrapes): a missing metric, left out like an unready one (A).
      if (!(span > 0)) {
        out.push({ cores: 0, request, unready: true });
        return;
      }
      const cores = (this.last[i]! - this.prev[i]!) / span;
      const young = now - this.set.startedAt[i]! < CPU_INITIALIZATION_PERIOD;
      const unready = s !== SlotState.Ready || (young && this.set.readyAt[i]! > this.prevAt[i]!);
      out.push({ cores, request, unready });
    });
    return failed ? null : out;
  }

  private sync(): void {
    const current = this.desired;
    const metrics = this.metrics();
    // A metric it cannot compute leaves the scale as it is (ScalingActive False, FailedGetResourceMetric).
    if (metrics === null) {
      this.rec.metricFailures = (this.rec.metricFailures ?? 0) + 1;
      return;
    }
    const wanted = metricReplicasOf(current, metrics, this.a);
    this.scaleTo(this.hpa.sync(current, wanted, this.host.now));
  }
}

function metricReplicasOf(current: number, m: PodMetric[], a: Autoscaling): number {
  return metricReplicas(current, m, a.targetCPUUtilization, a.tolerance);
}

/** istiod's simulated push load over the measured window. */
export interface ControlPlaneRun {
  /** Pushes to single proxies per second. */
  pushesPerSecond: number;
  /** Cores. */
  cpu: number;
}

export interface Autoscalers {
  close(end: number): AutoscaleRecord[];
  /** istiod's push load over [warm-up, end), null where istiod does not run. */
  controlPlane(end: number): ControlPlaneRun | null;
  /**
   * The ReplicaSet of a Deployment (`ns/name`, or `istiod`) that runs here and that an HPA scales
   * (`rec.kind` its kind) or the scenario's `scale` events do (`manual`), or that has pods Pending from
   * the start (`fixed`).
   */
  of(owner: string): ReplicaSet | undefined;
}

/**
 * Starts the autoscalers of the workloads that run in this architecture, in scenario order, and the
 * ReplicaSets of those without one that `scale` events set the replicas of.
 */
export function startAutoscalers(host: DisruptionHost, s: Scenario, versions: Versions): Autoscalers {
  const all: ReplicaSet[] = [];
  const scaled = scaledReplicas(s);
  const onProxies = (d: number, owner: string, sidecar: boolean) => {
    load?.settle();
    audience.add(owner, d, sidecar);
  };
  const add = (
    owner: string,
    kind: AutoscaleRecord['kind'],
    replicas: number,
    a: Autoscaling | null | undefined,
  ) => {
    const pods = host.placement.byOwner.get(owner) ?? [];
    if (pods.length === 0) return;
    if (autoscaled(replicas, a)) {
      const rec = newRecord(owner, kind, a.minReplicas, a.maxReplicas, a.targetCPUUtilization);
      if (a.container) rec.container = a.container;
      all.push(new Autoscaler(host, s, rec, a, pods, versions, load, onProxies));
      return;
    }
    const counts = scaled.get(owner);
    if (!counts) {
      // Nothing changes its spec.replicas, but a pod kube-scheduler could not bind at the start is not
      // gone: it stays Pending, and kube-scheduler retries it when room frees (a pod deleted, a node
      // opened), as it retries any unschedulable pod (kubernetes v1.31 pkg/scheduler/internal/queue/
      // scheduling_queue.go: cluster events move it back through MoveAllToActiveOrBackoffQueue, after its
      // back-off: pending.ts). Its ReplicaSet here does that (replica-pods.ts) and records how long they
      // waited.
      const unbound = pods.some((p) => !host.placement.pods[p]!.standby && host.podNode[p]! < 0);
      if (!unbound) return;
      const n = initialReplicas(replicas, a);
      all.push(
        new ReplicaSet(host, newRecord(owner, 'fixed', n, n, null), pods, versions, warmup, onProxies),
      );
      return;
    }
    const start = initialReplicas(replicas, a);
    const lo = counts.reduce((m, x) => Math.min(m, x), start);
    const hi = counts.reduce((m, x) => Math.max(m, x), start);
    const rec = newRecord(owner, 'manual', lo, hi, null);
    all.push(new ReplicaSet(host, rec, pods, versions, warmup, onProxies));
  };
  // istiod's pushes go to the proxies connected: those placed at the start, then what the autoscalers
  // create and delete.
  const audience = new PushAudience(s, host.placement);
  const runsIstiod = (host.placement.byOwner.get('istiod') ?? []).some((p) => host.podNode[p]! >= 0);
  const warmup = s.simulation.warmup;
  const load = runsIstiod
    ? new IstiodLoad(host, s.mesh.istiod, () => audience.connected, warmup, audience)
    : null;
  for (const svc of s.services) add(svc.key, 'service', svc.replicas, svc.autoscaling);
  for (const wp of s.waypoints) add(`${wp.namespace}/${wp.name}`, 'waypoint', wp.replicas, wp.autoscaling);
  const gw = s.mesh.ingressGateway;
  add(gatewayOwner(s), 'gateway', gw.replicas, gw.autoscaling);
  add('istiod', 'istiod', s.mesh.istiod.replicas, s.mesh.istiod.autoscaling);
  return {
    close: (end) => all.map((x) => x.close(end)),
    controlPlane: (end) => {
      if (!load || end <= warmup) return null;
      const pushesPerSecond = load.pushedInWindow() / (end - warmup);
      return { pushesPerSecond, cpu: pushesPerSecond * s.mesh.istiod.cpuPerPush };
    },
    of: (owner) => all.find((x) => x.rec.owner === owner),
  };
}
