// A proxy whose connections push its memory past its container's limit (world/memory.ts proxyOpenLimit)
// is OOM-killed: its connections reset at once, its pod is not ready while it is down (a sidecar,
// waypoint or gateway container is what the pod's readiness waits on; ztunnel's pods stay in load
// balancing, since the kubelet's probes bypass it), and the kubelet restarts it in its pod after a
// back-off counted from the crash: none after the first, then 10 s doubling to 300 s, forgotten after
// 600 s without a crash (client-go util/flowcontrol/backoff.go Next and IsInBackOffSince, as
// kuberuntime_manager.go doBackOff uses them with pkg/kubelet/kubelet.go backOffPeriod 10 s and
// MaxContainerBackOff 300 s, v1.31). The kubelet learns of the crash at its next relist of the node's
// containers, every second (the generic PLEG: pkg/kubelet/kubelet.go genericPlegRelistPeriod 1 s,
// pkg/kubelet/pleg/generic.go relist; the Evented PLEG is off by default through v1.34), so 0-1 s after
// it, uniformly: only then does the pod's worker sync, mark the pod not ready (its endpoints follow) and
// restart the container or, in back-off, retry after backOffPeriod with jitter, 10 to 15 s
// (pkg/kubelet/pod_workers.go completeWork: wait.Jitter(p.backOffPeriod, workerBackOffPeriodJitterFactor
// 0.5), v1.29-v1.34), so a 10 s back-off restarts after 10-16 s, a 20 s one after 20-31 s. Until the
// relist the pod stays in load balancing and its callers' connections are refused. It is ready
// `lifecycle.proxyRestart` after it starts.
import type { RandomStreams } from '../../../sim/index.ts';
import { DEFAULT_PROXY_RESTART } from '../../scenario/index.ts';
import type { ReplicationHost } from './disruption-host.ts';
import { KeyedRng, mix32 } from './keyed-random.ts';
import type { Parts } from './parts.ts';

/**
 * pkg/kubelet/kubelet.go backOffPeriod: both the container restart back-off's first step and the pod
 * worker's retry after a failed sync.
 */
const BACK_OFF = 10;
const MAX_BACK_OFF = 300;
/** pkg/kubelet/pod_workers.go workerBackOffPeriodJitterFactor. */
const SYNC_JITTER = 0.5;
/** pkg/kubelet/kubelet.go genericPlegRelistPeriod. */
const PLEG_RELIST = 1;

export class OomKills {
  /** Kills of each proxy within the measured window. */
  readonly kills: Float64Array;
  /**
   * Crashes since its back-off was last forgotten, when the last one was, and in which of the proxy's
   * containers (a new one, in a new pod or from a DaemonSet, starts afresh).
   */
  private readonly crashes: Int32Array;
  private readonly lastCrash: Float64Array;
  private readonly crashContainer: Int32Array;
  private readonly pending: Uint8Array;
  /** 1 while its pod is out of load balancing because of the kill (and nothing else took it out). */
  private readonly unreadied: Uint8Array;
  private readonly restart: number;
  /** Every crash of each proxy so far: the key of its pod worker's jitter draws. */
  private readonly crashCount: Int32Array;
  private readonly syncRng: KeyedRng;

  constructor(
    private readonly p: Parts,
    private readonly host: ReplicationHost,
    streams: RandomStreams,
  ) {
    const n = p.w.nProxies;
    this.kills = new Float64Array(n);
    this.crashes = new Int32Array(n);
    this.lastCrash = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
    this.crashContainer = new Int32Array(n);
    this.pending = new Uint8Array(n);
    this.unreadied = new Uint8Array(n);
    this.restart = p.w.scenario.lifecycle.proxyRestart ?? DEFAULT_PROXY_RESTART;
    this.crashCount = new Int32Array(n);
    this.syncRng = new KeyedRng(streams, 'kubelet-sync');
  }

  /** Proxy `px` just opened one connection too many: it is killed once the current step is done. */
  overLimit(px: number): void {
    if (this.pending[px] === 1) return;
    this.pending[px] = 1;
    this.host.after(0, () => this.kill(px));
  }

  private kill(px: number): void {
    this.pending[px] = 0;
    const { w, proxies, cal } = this.p;
    // Down already (a fault, or a kill at the same instant), or back under its limit meanwhile.
    if (proxies.up[px] === 0 || proxies.open[px]! <= w.proxyOpenLimit[px]!) return;
    const now = cal.now;
    if (now >= w.scenario.simulation.warmup && now < w.scenario.simulation.duration) this.kills[px]!++;
    // The back-off is the kubelet's, per container of one pod: a new container starts afresh.
    const container = this.host.proxyContainer(px);
    const fresh = now - this.lastCrash[px]! > 2 * MAX_BACK_OFF || container !== this.crashContainer[px];
    const n = fresh ? 1 : this.crashes[px]! + 1;
    this.crashes[px] = n;
    this.lastCrash[px] = now;
    this.crashContainer[px] = container;
    this.host.setProxyUp(px, false);
    const backOff = n === 1 ? 0 : Math.min(BACK_OFF * 2 ** (n - 2), MAX_BACK_OFF);
    // Keyed by the proxy (spread by a hash of its index) and its crash count.
    const rng = this.syncRng.at(mix32(px + 0x3c6ef372), ++this.crashCount[px]!);
    const seen = PLEG_RELIST * rng.next();
    // The first sync of the pod's worker at or after the back-off.
    let sync = seen;
    while (sync < backOff) sync += BACK_OFF * (1 + SYNC_JITTER * rng.next());
    this.host.after(seen, () => {
      this.seen(px, container);
      this.host.after(sync - seen + this.restart, () => this.started(px, container));
    });
  }

  /** The kubelet's relist found the proxy's container dead: its pod is out of load balancing. */
  private seen(px: number, container: number): void {
    const pod = this.ownPod(px);
    if (container !== this.host.proxyContainer(px) || this.p.proxies.up[px] === 1) return;
    if (pod >= 0 && this.p.pods.ready[pod] === 1) {
      this.host.setReady(pod, false);
      this.unreadied[px] = 1;
    }
  }

  private started(px: number, container: number): void {
    const { pods } = this.p;
    // Replaced meanwhile: whoever started the new container decides its pod's readiness.
    if (container !== this.host.proxyContainer(px)) {
      this.unreadied[px] = 0;
      return;
    }
    // Up unless something else (a fault) holds it down too: its pod's readiness then waits for that.
    this.host.setProxyUp(px, true, container);
    // Running again, it reconnects to istiod, which answers with a full push.
    if (this.p.proxies.up[px] === 1) this.host.proxyConnected?.(px);
    if (this.unreadied[px] === 0) return;
    this.unreadied[px] = 0;
    // Its pod may have been deleted, killed or cut off meanwhile: then whatever did that decides.
    const pod = this.ownPod(px);
    const node = pods.node[pod]!;
    if (pods.up[pod] === 1 && node >= 0 && pods.nodeDark[node] === 0 && this.host.podPresent(pod))
      this.host.setReady(pod, true);
  }

  /** The pod whose readiness waits on the proxy (-1 for ztunnel: its pod is not an endpoint). */
  private ownPod(px: number): number {
    const pod = this.p.w.proxyPod[px]!;
    return this.p.w.podProxy[pod] === px ? pod : -1;
  }
}
