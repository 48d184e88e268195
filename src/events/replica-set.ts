// A Deployment's ReplicaSet while the run changes its spec.replicas: an HPA (autoscale.ts) or the
// scenario's `scale` events (scale.ts) set the count, the ReplicaSet creates pods where kube-scheduler
// would put them and deletes them in its own order (replica-pods.ts), and the record keeps the count, the
// ready pods and the pod-seconds each node hosted, which cost charges instead of the starting placement.
import type { DisruptionHost } from './host.ts';
import type { TimedReplicas } from './hpa.ts';
import { ReplicaPods, SlotState } from './replica-pods.ts';
import type { Versions } from './versions.ts';

export interface AutoscaleRecord {
  /** Deployment key (`ns/name`) or `istiod`. */
  owner: string;
  /**
   * What sets spec.replicas: an HPA (`service`, `waypoint`, `istiod`), or, for `manual`, only the
   * scenario's `scale` events (no HPA). `fixed`: nothing changes it (no HPA, no `scale` event), but some
   * of its pods found no node at the start: they stay Pending and take room when some frees.
   */
  kind: 'service' | 'waypoint' | 'gateway' | 'istiod' | 'manual' | 'fixed';
  /**
   * The HPA's bounds; for `manual`, the lowest and highest spec.replicas the scenario sets; for `fixed`,
   * its replicas.
   */
  minReplicas: number;
  maxReplicas: number;
  /** The HPA's target; null for `manual`. */
  targetCPUUtilization: number | null;
  /** spec.replicas after every change, from the start (t = 0). */
  desired: TimedReplicas[];
  /** Ready pods after every change, from the start. */
  ready: TimedReplicas[];
  scaleUps: number;
  scaleDowns: number;
  /** Pods that had to wait for room, the seconds they waited, and those still waiting at the end. */
  pendingPods: number;
  pendingSeconds: number;
  pendingAtEnd: number;
  /** kube-scheduler's message for the last pod that found no node, null if every pod found one. */
  pendingReason: string | null;
  /** Pod-seconds its pods spent on each node within the measured window (what the nodes hosted), by node. */
  hosted: Array<{ node: number; podSeconds: number }>;
  /** Scale-ups cut short because the slot of a pod still leaving was not free yet (meshsim keeps maxReplicas slots). */
  slotsShort: number;
  /** The container whose CPU a service's HPA scales on (a ContainerResource metric), when it is one. */
  container?: 'application' | 'istio-proxy';
  /** Syncs at which its metric could not be computed (a pod without that container's CPU request). */
  metricFailures?: number;
}

/** An empty record of `owner`, before the run. */
export function newRecord(
  owner: string,
  kind: AutoscaleRecord['kind'],
  minReplicas: number,
  maxReplicas: number,
  targetCPUUtilization: number | null,
): AutoscaleRecord {
  return {
    owner,
    kind,
    minReplicas,
    maxReplicas,
    targetCPUUtilization,
    desired: [],
    ready: [],
    scaleUps: 0,
    scaleDowns: 0,
    pendingPods: 0,
    pendingSeconds: 0,
    pendingAtEnd: 0,
    pendingReason: null,
    hosted: [],
    slotsShort: 0,
  };
}

export class ReplicaSet {
  readonly rec: AutoscaleRecord;
  protected readonly host: DisruptionHost;
  protected readonly set: ReplicaPods;
  protected desired: number;

  /** `pods`: every pod slot of the owner, those placed at the start and its standby ones (deploy.ts). */
  constructor(
    host: DisruptionHost,
    rec: AutoscaleRecord,
    pods: number[],
    versions: Versions,
    warmup: number,
    onProxies: (delta: number, owner: string, sidecar: boolean) => void,
  ) {
    this.host = host;
    this.rec = rec;
    this.set = new ReplicaPods(host, pods, versions, warmup, onProxies);
    this.desired = this.set.count();
    rec.desired.push({ at: 0, replicas: this.desired });
    rec.ready.push({ at: 0, replicas: host.readyCount(rec.owner) });
    host.readinessListeners.push((owner) => {
      if (owner !== rec.owner) return;
      const ready = host.readyCount(owner);
      const tail = rec.ready[rec.ready.length - 1]!;
      if (tail.replicas === ready) return;
      if (tail.at === host.now) tail.replicas = ready;
      else rec.ready.push({ at: host.now, replicas: ready });
    });
  }

  /**
   * spec.replicas becomes `next` (the HPA's decision, or a manual `scale`, which an HPA then takes as
   * its current count at the next sync, as kube-controller-manager reads the scale subresource).
   */
  scaleTo(next: number): void {
    const now = this.host.now;
    const current = this.desired;
    if (next === current) return;
    if (next > current) {
      const made = this.set.scaleUp(next - current);
      if (made < next - current) this.rec.slotsShort++;
      if (made === 0) return;
      this.rec.scaleUps++;
      this.desired = current + made;
    } else {
      this.set.scaleDown(current - next);
      this.rec.scaleDowns++;
      this.desired = next;
    }
    this.rec.desired.push({ at: now, replicas: this.desired });
  }

  /** Pods still being created (pending or starting) and pods still leaving. */
  inTransit(): { arriving: number; leaving: number } {
    let arriving = 0;
    let leaving = 0;
    for (const st of this.set.state) {
      if (st === SlotState.Pending || st === SlotState.Starting) arriving++;
      else if (st === SlotState.Leaving) leaving++;
    }
    return { arriving, leaving };
  }

  /** `fn` runs whenever one of its pods becomes ready or is gone. */
  onChange(fn: () => void): void {
    this.set.listeners.push(fn);
  }

  close(end: number): AutoscaleRecord {
    this.rec.pendingPods = this.set.pendingPods;
    this.rec.pendingSeconds = this.set.pendingUntil(end);
    this.rec.pendingAtEnd = this.set.pendingNow();
    this.rec.pendingReason = this.set.pendingReason;
    this.rec.hosted = [...this.set.hostedUntil(end)]
      .filter(([, seconds]) => seconds > 0)
      .sort(([a], [b]) => a - b)
      .map(([node, podSeconds]) => ({ node, podSeconds }));
    return this.rec;
  }
}
