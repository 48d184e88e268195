// The kubelet's eviction manager under memory pressure (https://kubernetes.io/docs/concepts/scheduling-
// eviction/node-pressure-eviction/). Requests are what kube-scheduler packs nodes by; a pod whose
// containers use more (a sidecar holding a large mesh's configuration above its 128Mi request) still
// needs the memory. When what a node's pods use exceeds its allocatable memory (capacity less the kube
// and system reservations and the 100Mi hard eviction threshold, cluster/catalogue.ts: so memory.available
// falls under the threshold, if the system daemons use what is reserved for them, an ASSUMPTION), the
// kubelet evicts one pod (kubernetes/kubernetes pkg/kubelet/eviction/eviction_manager.go synchronize: "we
// kill at most a single pod during each eviction interval"): first those using more than they request,
// then the lowest priority, then the most above its request (rankMemoryPressure; ties: the lowest
// index, an ASSUMPTION), never a critical pod (ztunnel and istio-cni are system-node-critical) nor a load
// generator (outside the cluster modelled). A hard threshold kills at once (0 s grace period) and the
// pod's ReplicaSet replaces it, elsewhere while the node is tainted node.kubernetes.io/memory-pressure:
// NoSchedule (until evictionPressureTransitionPeriod, 5 min, after the pressure was last seen). The kubelet
// checks every 10 s (evictionMonitoringPeriod, pkg/kubelet/kubelet.go), and again once an evicted pod is
// cleaned up (podCleanupPollFreq, 1 s, pkg/kubelet/eviction/eviction_manager.go).
import { NODE_MEMORY_PRESSURE, podRequests, priorityOf } from '../cluster/index.ts';
import type { DisruptionHost } from './host.ts';
import { Tracker } from './record.ts';
import { rollingRestart } from './rollout.ts';

const MONITORING = 10;
const CLEANUP_POLL = 1;
/** evictionPressureTransitionPeriod's default, 5m (https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/). */
const TRANSITION = 300;
/** system-cluster-critical and above: IsCriticalPod (pkg/kubelet/types/pod_update.go). */
const CRITICAL = 2_000_000_000;

/** Evictions within the measured window. */
export interface EvictionCount {
  pods: number;
  nodes: number;
}

export class NodePressure {
  private readonly host: DisruptionHost;
  private readonly warmup: number;
  private readonly end: number;
  private evicted = 0;
  private readonly nodes = new Set<number>();
  private readonly lastPressure: Float64Array;
  private tracker: Tracker | null = null;
  /** Nodes that evicted at the last check: looked at again a second later. */
  private again: number[] = [];

  /** Checks from `MONITORING` until the run ends at `end` (nothing is left pending after it). */
  constructor(host: DisruptionHost, warmup: number, end: number) {
    this.host = host;
    this.warmup = warmup;
    this.end = end;
    this.lastPressure = new Float64Array(host.placement.nodes.length).fill(Number.NEGATIVE_INFINITY);
    if (MONITORING < end) host.after(MONITORING, () => this.tick());
  }

  count(): EvictionCount {
    return { pods: this.evicted, nodes: this.nodes.size };
  }

  private tick(): void {
    const all = this.host.placement.nodes.map((_, n) => n);
    this.check(all);
    if (this.host.now + MONITORING < this.end) this.host.after(MONITORING, () => this.tick());
  }

  /**
   * Each of `nodes` under pressure evicts one pod; those that did are looked at again a second later
   * (one pass over the pods for all of them).
   */
  private check(nodes: number[]): void {
    const host = this.host;
    const n = host.placement.nodes.length;
    const used = new Float64Array(n);
    const captured = new Int32Array(n);
    const running: number[][] = Array.from({ length: n }, () => []);
    for (const pod of host.placement.pods) {
      const node = host.podNode[pod.index]!;
      if (node < 0 || !host.podPresent(pod.index)) continue;
      if (pod.captured) captured[node]!++;
      if (host.podUp[pod.index] === 1) running[node]!.push(pod.index);
    }
    const again: number[] = [];
    for (const node of nodes) {
      for (const pod of running[node]!) used[node]! += host.podMemory(pod, captured[node]!);
      if (used[node]! <= host.placement.nodes[node]!.allocatable.memory) continue;
      if (this.evict(node, running[node]!, captured[node]!)) again.push(node);
    }
    const first = this.again.length === 0;
    this.again = [...new Set([...this.again, ...again])];
    if (first && this.again.length > 0 && host.now + CLEANUP_POLL < this.end)
      host.after(CLEANUP_POLL, () => {
        const nodes = this.again;
        this.again = [];
        this.check(nodes);
      });
  }

  /** Node `node` is under pressure: its first running pod by the kubelet's ranking goes. */
  private evict(node: number, running: number[], captured: number): boolean {
    const host = this.host;
    const now = host.now;
    this.lastPressure[node] = now;
    if (host.room.closed(node) === null) host.room.close(node, NODE_MEMORY_PRESSURE);
    if (now + TRANSITION < this.end) host.after(TRANSITION, () => this.release(node));
    let victim = -1;
    let best: number[] = [];
    for (const i of running) {
      const pod = host.placement.pods[i]!;
      const priority = priorityOf(pod);
      // ASSUMPTION: a platform DaemonSet's pod is not evicted (its controller would recreate it on the
      // same node at once, freeing nothing for long).
      if (pod.kind === 'client' || pod.kind === 'daemon' || priority >= CRITICAL) continue;
      const over = host.podMemory(i, captured) - podRequests(pod).memory;
      // Ranked by: above its request, then lower priority, then further above it.
      const key = [over > 0 ? 1 : 0, -priority, over];
      if (victim < 0 || ranksBefore(key, best)) {
        victim = i;
        best = key;
      }
    }
    if (victim < 0) return false;
    if (now >= this.warmup) {
      this.evicted++;
      this.nodes.add(node);
    }
    this.tracker ??= new Tracker(host, 'memory pressure', 'eviction', 'kubelet node-pressure eviction');
    rollingRestart(
      host,
      { pods: [victim], surge: 0, unavailable: 1, drain: () => 0, grace: 0, exclude: node },
      this.tracker,
      () => {},
      () => {},
    );
    return true;
  }

  /** The MemoryPressure condition clears once no pressure was seen for the transition period. */
  private release(node: number): void {
    const host = this.host;
    if (host.now - this.lastPressure[node]! < TRANSITION) return;
    if (host.room.closed(node) === NODE_MEMORY_PRESSURE) host.room.close(node, null);
  }
}

/** Whether `a` comes before `b`, comparing their terms in order, the larger first. */
function ranksBefore(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! > b[i]!;
  return false;
}
