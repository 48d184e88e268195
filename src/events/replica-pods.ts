// The pods of one autoscaled Deployment as its ReplicaSet sees them: each pod slot is absent, pending
// (waiting for room), starting, ready or leaving. Creating a pod binds it to the node kube-scheduler would
// choose at that moment (replica-placement.ts: nodeSelector, taints, room, required anti-affinity and
// topology spread over the pods running then), waits while none fits (Pending with kube-scheduler's reason,
// retried when room frees, after kube-scheduler's back-off: pending.ts) and becomes ready after the
// scenario's start-to-ready time (lifecycle.podStartup, and its sidecar's start where it has one:
// DisruptionHost startupTime); a new ambient pod also waits for its node's istio-cni agent. Deleting one follows the ReplicaSet's order (replica-ranks.ts); a running pod leaves as any
// deleted pod does (terminate.ts: endpoints, drain, grace). Each pod's time on each node within the
// measured window is kept, for cost.
import { podRequests, scoringDefaults } from '../cluster/index.ts';
import { EndpointKind } from '../mesh/index.ts';
import type { Resources } from '../scenario/index.ts';
import type { DisruptionHost } from './host.ts';
import { whenCniReady } from './istio-cni.ts';
import { retryWhenRoom } from './pending.ts';
import { countDeletion } from './replica-deletions.ts';
import { type OwnerPods, ReplicaPlacement } from './replica-placement.ts';
import { compareForDeletion, type RankedPod, uidOf } from './replica-ranks.ts';
import { transitNodes, vacant } from './rollout-transit.ts';
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
  /** Stops a pending pod's waiting for room (pending.ts), by slot. */
  private readonly retries = new Map<number, () => void>();
  private readonly owner: string;
  /** kube-scheduler for its pods (the same pod spec for every replica). */
  private readonly placement: ReplicaPlacement;
  /** Why the last pod that found no node found none (kube-scheduler's FailedScheduling message). */
  pendingReason: string | null = null;
  /** Told whenever a pod becomes ready or is gone (a scale event follows its rollout with them). */
  readonly listeners: Array<() => void> = [];
  /** Pod-seconds hosted on each node within the measured window, and since when each pod is on its node. */
  readonly hosted = new Map<number, number>();
  private readonly hostedSince: Float64Array;
  private readonly warmup: number;

  /**
   * `onProxies(delta, owner, sidecar)` hears of every proxy (a sidecar, or the waypoint a pod is) its
   * pods bring to istiod (+1, when one is created) or take away (-1, when one is gone), with the pod's
   * owner.
   */
  constructor(
    host: DisruptionHost,
    pods: number[],
    versions: Versions,
    warmup: number,
    private readonly onProxies: (delta: number, owner: string, sidecar: boolean) => void = () => {},
  ) {
    this.host = host;
    this.versions = versions;
    this.pods = pods;
    this.warmup = warmup;
    const n = pods.length;
    this.state = new Uint8Array(n);
    this.startedAt = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
    this.readyAt = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
    this.token = new Int32Array(n);
    this.pendingSince = new Float64Array(n);
    this.hostedSince = new Float64Array(n).fill(Number.NaN);
    this.owner = host.placement.pods[pods[0]!]!.owner;
    this.placement = new ReplicaPlacement(host, host.placement.pods[pods[0]!]!);
    pods.forEach((pod, i) => {
      const p = host.placement.pods[pod]!;
      if (p.standby) return;
      if (host.podNode[pod]! >= 0) {
        this.state[i] = SlotState.Ready;
        this.hostedSince[i] = host.now;
      }
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
    const active = [...this.pods.keys()].filter(
      (i) => this.state[i] !== SlotState.Absent && this.state[i] !== SlotState.Leaving,
    );
    const onNode = new Map<number, number>();
    for (const i of active) {
      const node = this.nodeOf(i);
      if (node >= 0) onNode.set(node, (onNode.get(node) ?? 0) + 1);
    }
    const ranked = new Map<number, RankedPod>();
    for (const i of active) {
      const st = this.state[i]!;
      const node = this.nodeOf(i);
      ranked.set(i, {
        assigned: node >= 0,
        running: st === SlotState.Ready,
        ready: st === SlotState.Ready,
        colocated: node >= 0 ? onNode.get(node)! : 0,
        readyAt: this.readyAt[i]!,
        createdAt: this.startedAt[i]!,
        uid: uidOf(this.host.placement.pods[this.pods[i]!]!.name),
      });
    }
    const now = this.host.now;
    active.sort((a, b) => compareForDeletion(ranked.get(a)!, ranked.get(b)!, now) || a - b);
    for (const i of active.slice(0, n)) this.remove(i);
  }

  private hasProxy(i: number): boolean {
    // The proxies istiod's push load counts (mesh/control-plane.ts isIstiodProxyPod).
    const kind = this.host.placement.pods[this.pods[i]!]!.kind;
    return this.hasSidecar(i) || kind === 'waypoint' || kind === 'gateway';
  }

  private hasSidecar(i: number): boolean {
    return this.host.placement.pods[this.pods[i]!]!.hasSidecar;
  }

  /** The node a slot's pod is bound to, -1 while it has none. */
  private nodeOf(i: number): number {
    const st = this.state[i]!;
    return st === SlotState.Absent || st === SlotState.Pending ? -1 : this.host.podNode[this.pods[i]!]!;
  }

  /** Where the owner's pods are now, for its topology rules (a rollout's in transit included: room.ts). */
  private ownerPods(): OwnerPods {
    const { all, live } = transitNodes(this.host, this.owner);
    this.state.forEach((st, i) => {
      const node = this.nodeOf(i);
      if (node < 0 || vacant(this.host, this.pods[i]!)) return;
      all.push(node);
      if (st !== SlotState.Leaving) live.push(node);
    });
    return { all, live };
  }

  /** Pod-seconds on each node within the measured window, with the pods still there counted to `end`. */
  hostedUntil(end: number): Map<number, number> {
    const out = new Map(this.hosted);
    this.hostedSince.forEach((since, i) => {
      if (Number.isNaN(since)) return;
      const node = this.host.podNode[this.pods[i]!]!;
      out.set(node, (out.get(node) ?? 0) + this.windowed(since, end));
    });
    return out;
  }

  private windowed(from: number, to: number): number {
    return Math.max(0, to - Math.max(from, this.warmup));
  }

  private request(i: number): { cpu: number; memory: number; scoring: Resources } {
    const spec = this.host.placement.pods[this.pods[i]!]!;
    return { ...podRequests(spec), scoring: scoringDefaults(spec) };
  }

  private create(i: number): void {
    const host = this.host;
    this.state[i] = SlotState.Pending;
    const { cpu, memory, scoring } = this.request(i);
    const attempt = (): boolean => {
      const choice = this.placement.choose(cpu, memory, scoring, this.ownerPods());
      if (choice.node < 0) {
        this.pendingReason = choice.reason;
        return false;
      }
      const node = host.room.reserve(cpu, memory, choice.node, {}, scoring);
      if (node !== choice.node) throw new Error(`internal: room on node ${choice.node} was not there`);
      this.start(i, node);
      return true;
    };
    if (attempt()) return;
    this.pendingPods++;
    this.pendingSince[i] = host.now;
    this.retries.set(
      i,
      retryWhenRoom(host, attempt, () => this.stopWaiting(i)),
    );
  }

  private stopWaiting(i: number): void {
    const stop = this.retries.get(i);
    if (!stop) return;
    this.retries.delete(i);
    stop();
    this.pendingSeconds += this.host.now - this.pendingSince[i]!;
  }

  private start(i: number, node: number): void {
    const host = this.host;
    const pod = this.pods[i]!;
    this.state[i] = SlotState.Starting;
    this.startedAt[i] = host.now;
    this.hostedSince[i] = host.now;
    if (this.hasProxy(i)) this.onProxies(1, this.host.placement.pods[pod]!.owner, this.hasSidecar(i));
    host.movePod(pod, node);
    host.setPresent(pod, true);
    const token = ++this.token[i]!;
    const begin = () =>
      host.after(host.startupTime(pod), () => {
        if (this.token[i] !== token) return;
        host.setUp(pod, true);
        if (host.proxyOfPod(pod) >= 0) host.proxyConnected?.(host.proxyOfPod(pod));
        host.setReady(pod, true);
        this.state[i] = SlotState.Ready;
        this.readyAt[i] = host.now;
        for (const fn of this.listeners) fn();
      });
    if (host.podKind[pod] === EndpointKind.Captured) whenCniReady(host, node, begin);
    else begin();
  }

  private remove(i: number): void {
    const host = this.host;
    const pod = this.pods[i]!;
    countDeletion(host, pod);
    const { cpu, memory, scoring } = this.request(i);
    switch (this.state[i]) {
      case SlotState.Pending:
        this.stopWaiting(i);
        this.state[i] = SlotState.Absent;
        return;
      case SlotState.Starting:
        // Deleted before it was ready: nothing served from it yet; its room frees at once.
        this.token[i]!++;
        this.gone(i, pod, cpu, memory, scoring);
        return;
    }
    if (vacant(host, pod)) {
      // A rollout has already taken its old pod down and its new one has not taken over: the rollout
      // frees what each holds (rollout.ts stops a deleted pod's replacement), the slot is simply gone.
      this.gone(i, pod, cpu, memory, scoring, false);
      return;
    }
    this.state[i] = SlotState.Leaving;
    leaveEndpoints(host, pod);
    // An Envoy of its own (a waypoint, the ingress gateway) drains as a sidecar's Envoy does.
    const kind = host.placement.pods[pod]!.kind;
    const drain =
      kind === 'waypoint' || kind === 'gateway' ? host.lifecycle.sidecarDrain : drainOf(host)(pod);
    terminate(host, pod, drain, graceOf(host, pod, this.versions.waypoint), () =>
      this.gone(i, pod, cpu, memory, scoring),
    );
    host.setUp(pod, false);
  }

  /** `release`: its room frees now (false: whoever holds it frees it). */
  private gone(
    i: number,
    pod: number,
    cpu: number,
    memory: number,
    scoring: Resources,
    release = true,
  ): void {
    const node = this.host.podNode[pod]!;
    this.hosted.set(node, (this.hosted.get(node) ?? 0) + this.windowed(this.hostedSince[i]!, this.host.now));
    this.hostedSince[i] = Number.NaN;
    if (this.hasProxy(i)) this.onProxies(-1, this.host.placement.pods[pod]!.owner, this.hasSidecar(i));
    this.state[i] = SlotState.Absent;
    this.host.setPresent(pod, false);
    if (release) this.host.room.unreserve(this.host.podNode[pod]!, cpu, memory, scoring);
    for (const fn of this.listeners) fn();
  }
}
