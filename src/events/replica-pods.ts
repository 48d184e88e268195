// The pods of one autoscaled Deployment as its ReplicaSet sees them: each pod slot is absent, pending
// (waiting for room), starting, ready or leaving. Creating a pod reserves room on a node (the node with
// most free CPU that fits and that its nodeSelector and tolerations allow, as surge pods get room:
// room.ts; required anti-affinity and topology spread are not re-checked (A)), waits while none fits (Pending, retried
// whenever room frees) and becomes ready after the scenario's start-to-ready time (lifecycle.podStartup,
// which covers every container of the pod: a sidecar, injected first, is part of it (A)); a new ambient
// pod also waits for its node's istio-cni agent. Deleting one follows the ReplicaSet's order
// (kubernetes/kubernetes v1.31.0 pkg/controller/replicaset/replica_set.go getPodsToDelete ->
// controller.ActivePodsWithRanks: unscheduled before scheduled, not ready before ready, most recently
// ready first); a running pod leaves as any deleted pod does (terminate.ts: endpoints, drain, grace).
import { podRequests, selectionFailure } from '../cluster/index.ts';
import { EndpointKind } from '../mesh/index.ts';
import type { DisruptionHost } from './host.ts';
import { whenCniReady } from './istio-cni.ts';
import { graceOf, leaveEndpoints, terminate } from './terminate.ts';
import type { Versions } from './versions.ts';
import { drainOf } from './workloads.ts';

export const SlotState = { Absent: 0, Pending: 1, Starting: 2, Ready: 3, Leaving: 4 } as const;

export class ReplicaPods {
  readonly pods: number[];
  readonly state: Uint8Array;
  /** When each pod started (was scheduled), and when it became ready (-Infinity: before the run). */
  readonly startedAt: Float64Array;
  readonly readyAt: Float64Array;
  pendingPods = 0;
  pendingSeconds = 0;
  private readonly host: DisruptionHost;
  private readonly versions: Versions;
  /** Bumped to cancel a start in progress. */
  private readonly token: Int32Array;
  private readonly pendingSince: Float64Array;
  private readonly retries = new Map<number, () => void>();
  /** Nodes its nodeSelector and tolerations allow (the same pod spec for every replica). */
  private readonly allowed: Uint8Array;

  constructor(host: DisruptionHost, pods: number[], versions: Versions) {
    this.host = host;
    this.versions = versions;
    this.pods = pods;
    const n = pods.length;
    this.state = new Uint8Array(n);
    this.startedAt = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
    this.readyAt = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
    this.token = new Int32Array(n);
    this.pendingSince = new Float64Array(n);
    const spec = host.placement.pods[pods[0]!]!;
    this.allowed = Uint8Array.from(host.placement.nodes, (node) =>
      selectionFailure(node, spec) === null ? 1 : 0,
    );
    pods.forEach((pod, i) => {
      const p = host.placement.pods[pod]!;
      if (p.standby) return;
      if (host.podNode[pod]! >= 0) this.state[i] = SlotState.Ready;
      // Unschedulable from the start: it stays Pending and takes room when some frees.
      else this.create(i);
    });
  }

  /** Pods that exist (spec.replicas counts them), in any state but absent or leaving. */
  count(): number {
    let n = 0;
    for (const s of this.state) if (s !== SlotState.Absent && s !== SlotState.Leaving) n++;
    return n;
  }

  /** Pods still waiting for room. */
  pendingNow(): number {
    return this.state.filter((s) => s === SlotState.Pending).length;
  }

  /** Seconds pods waited for room, with those still waiting counted up to `end`. */
  pendingUntil(end: number): number {
    let s = this.pendingSeconds;
    this.state.forEach((st, i) => {
      if (st === SlotState.Pending) s += end - this.pendingSince[i]!;
    });
    return s;
  }

  /** Creates `n` pods in free slots; returns how many it could (a leaving pod's slot is not free yet). */
  scaleUp(n: number): number {
    let made = 0;
    for (let i = 0; i < this.pods.length && made < n; i++) {
      if (this.state[i] !== SlotState.Absent) continue;
      this.create(i);
      made++;
    }
    return made;
  }

  /** Deletes `n` pods in the ReplicaSet's order. */
  scaleDown(n: number): void {
    const order = [...this.pods.keys()]
      .filter((i) => this.state[i] !== SlotState.Absent && this.state[i] !== SlotState.Leaving)
      .sort((a, b) => this.rank(a) - this.rank(b) || this.readyAt[b]! - this.readyAt[a]! || b - a);
    for (const i of order.slice(0, n)) this.remove(i);
  }

  /** Lower goes first: pending, then starting, then ready. */
  private rank(i: number): number {
    return this.state[i]!;
  }

  private request(i: number): { cpu: number; memory: number } {
    return podRequests(this.host.placement.pods[this.pods[i]!]!);
  }

  private create(i: number): void {
    const host = this.host;
    this.state[i] = SlotState.Pending;
    const { cpu, memory } = this.request(i);
    const attempt = (): boolean => {
      const node = host.reserve(cpu, memory, -1, -1, this.allowed);
      if (node < 0) return false;
      this.start(i, node);
      return true;
    };
    if (attempt()) return;
    this.pendingPods++;
    this.pendingSince[i] = host.now;
    const retry = () => {
      if (!attempt()) return;
      this.stopWaiting(i);
    };
    this.retries.set(i, retry);
    host.roomListeners.push(retry);
  }

  private stopWaiting(i: number): void {
    const retry = this.retries.get(i);
    if (!retry) return;
    this.retries.delete(i);
    const at = this.host.roomListeners.indexOf(retry);
    if (at >= 0) this.host.roomListeners.splice(at, 1);
    this.pendingSeconds += this.host.now - this.pendingSince[i]!;
  }

  private start(i: number, node: number): void {
    const host = this.host;
    const pod = this.pods[i]!;
    this.state[i] = SlotState.Starting;
    this.startedAt[i] = host.now;
    host.movePod(pod, node);
    host.setPresent(pod, true);
    const token = ++this.token[i]!;
    const begin = () =>
      host.after(host.startupTime(), () => {
        if (this.token[i] !== token) return;
        host.setUp(pod, true);
        host.setReady(pod, true);
        this.state[i] = SlotState.Ready;
        this.readyAt[i] = host.now;
      });
    if (host.podKind[pod] === EndpointKind.Captured) whenCniReady(host, node, begin);
    else begin();
  }

  private remove(i: number): void {
    const host = this.host;
    const pod = this.pods[i]!;
    const { cpu, memory } = this.request(i);
    switch (this.state[i]) {
      case SlotState.Pending:
        this.stopWaiting(i);
        this.state[i] = SlotState.Absent;
        return;
      case SlotState.Starting:
        // Deleted before it was ready: nothing served from it yet; its room frees at once.
        this.token[i]!++;
        this.gone(i, pod, cpu, memory);
        return;
    }
    this.state[i] = SlotState.Leaving;
    leaveEndpoints(host, pod);
    const drain =
      host.placement.pods[pod]!.kind === 'waypoint' ? host.lifecycle.sidecarDrain : drainOf(host)(pod);
    terminate(host, pod, drain, graceOf(host, pod, this.versions.waypoint), () =>
      this.gone(i, pod, cpu, memory),
    );
    host.setUp(pod, false);
  }

  private gone(i: number, pod: number, cpu: number, memory: number): void {
    this.state[i] = SlotState.Absent;
    this.host.setPresent(pod, false);
    this.host.unreserve(this.host.podNode[pod]!, cpu, memory);
  }
}
