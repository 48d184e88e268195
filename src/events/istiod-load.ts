// The CPU istiod spends on xDS pushes during a run, for its autoscaler, at mesh.istiod.cpuPerPush per
// push to a proxy:
//  - steady churn: mesh.istiod.configChangesPerSecond changes per second (the static model of
//    mesh/istiod.ts, now integrated over the proxies connected at each moment), each to every connected
//    proxy but scoped sidecars, which get their share (mesh/churn-share.ts: ASSUMPTION, a change names
//    one service); and mesh.istiod.configObjectChangesPerSecond changes of routing and policy objects,
//    each a full push to every connected waypoint and unscoped sidecar, and scoped sidecars for their
//    share, no ztunnel (the same ASSUMPTION);
//  - the run's own endpoint changes: every pod that enters or leaves load balancing (an autoscaler's new
//    pods, a fault, a pod terminating) and every rollout takeover (a new pod in an old one's place) is an
//    EndpointSlice event;
//  - every proxy that (re)connects (a restarted sidecar or waypoint, a new ztunnel, an autoscaler's new
//    pod) gets a full push of its own at once: istiod answers a new xDS stream's first requests with the
//    whole configuration, outside the debounce (pilot/pkg/xds/ads.go processRequest, an initial request).
//    istiod debounces events: it pushes once no event came for PILOT_DEBOUNCE_AFTER (100 ms), or once the
//    oldest pending one is PILOT_DEBOUNCE_MAX (10 s) old, and merges everything pending into one push
//    (istio/istio 1.28.0 pilot/pkg/features/tuning.go DebounceAfter, DebounceMax, EnableEDSDebounce true;
//    the loop in pilot/pkg/xds/discovery.go debounce). Each debounced push goes to the connected proxies
//    that need one of the services it carries (push-audience.ts: every ztunnel and waypoint, the sidecars
//    whose scope sees one of them).
//    ASSUMPTION: a push costs istiod the same CPU whatever it carries. What a push costs the proxies that
//    apply it is the engine's (DisruptionHost applyPush and applyFullPush; simulate/replication/
//    xds-apply.ts).
import type { MeshSettings } from '../scenario/index.ts';
import type { DisruptionHost } from './host.ts';

type Clock = Pick<
  DisruptionHost,
  | 'now'
  | 'after'
  | 'readinessListeners'
  | 'endpointsChanged'
  | 'proxyConnected'
  | 'applyFullPush'
  | 'applyPush'
>;

/** Which connected proxies a push reaches (push-audience.ts). */
export interface PushTargets {
  /** How many a push of the endpoint changes of `changed` (service keys) reaches. */
  reached(changed: ReadonlySet<string>): number;
  /** Whether the sidecars of an owner need it (every ztunnel and waypoint does). */
  needs(changed: ReadonlySet<string>): (owner: string) => boolean;
  /** How many a change of the steady churn reaches on average (scoped sidecars for their share). */
  steadyReach(): number;
  /** How many a change of a routing or policy object reaches on average (no ztunnel). */
  objectReach(): number;
}

/** Slack for comparing instants built from sums of seconds. */
const EPS = 1e-9;

export class IstiodLoad {
  /** Debounced pushes made so far (each to every connected proxy). */
  pushes = 0;
  private readonly host: Clock;
  private readonly d: MeshSettings['istiod'];
  private readonly proxies: () => number;
  /** Pushes to single proxies so far (steady churn integrated, plus every proxy of each debounced push). */
  private proxyPushes = 0;
  /** The same before the measured window began. */
  private beforeWindow = 0;
  private readonly windowFrom: number;
  private at: number;
  /** The first and last endpoint events not pushed yet (NaN: none pending), and their services. */
  private first = Number.NaN;
  private last = Number.NaN;
  private readonly changed = new Set<string>();
  /** Endpoint events pending: each a workload update for ztunnel. */
  private updates = 0;
  private readonly targets: PushTargets | null;

  /**
   * `proxies()`: proxies connected to istiod now; `windowFrom`: when the measured window begins;
   * `targets`: the connected proxies a push of some services' endpoint changes reaches (PushAudience; by
   * default every one).
   */
  constructor(
    host: Clock,
    d: MeshSettings['istiod'],
    proxies: () => number,
    windowFrom = 0,
    targets?: PushTargets,
  ) {
    this.host = host;
    this.d = d;
    this.proxies = proxies;
    this.targets = targets ?? null;
    this.windowFrom = windowFrom;
    this.at = host.now;
    host.readinessListeners.push((owner) => this.event(owner));
    // A rollout's new generation replaces the pod's endpoint without a readiness change: an event too.
    host.endpointsChanged = (owner) => this.event(owner);
    host.proxyConnected = (proxy) => this.connected(proxy);
  }

  /** Pushes to single proxies since it started counting. */
  pushed(): number {
    this.accumulate();
    return this.proxyPushes;
  }

  /** Pushes to single proxies within the measured window so far. */
  pushedInWindow(): number {
    return this.pushed() - this.beforeWindow;
  }

  /** istiod's CPU seconds since it started counting. */
  cpuSeconds(): number {
    return this.pushed() * this.d.cpuPerPush;
  }

  /** Counts the steady churn up to now: call it before the proxies connected change. */
  settle(): void {
    this.accumulate();
  }

  private accumulate(): void {
    const now = this.host.now;
    const t = this.targets;
    const rate =
      this.d.configChangesPerSecond * (t ? t.steadyReach() : this.proxies()) +
      this.d.configObjectChangesPerSecond * (t ? t.objectReach() : this.proxies());
    if (this.at < this.windowFrom) this.beforeWindow += rate * (Math.min(now, this.windowFrom) - this.at);
    this.proxyPushes += rate * (now - this.at);
    this.at = now;
  }

  /** A proxy (re)connected: istiod answers its first request with a full push, at once (not debounced). */
  private connected(proxy: number): void {
    this.accumulate();
    this.proxyPushes++;
    if (this.host.now < this.windowFrom) this.beforeWindow++;
    this.host.applyFullPush?.(proxy);
  }

  private event(owner: string): void {
    const now = this.host.now;
    this.changed.add(owner);
    this.updates++;
    this.last = now;
    if (!Number.isNaN(this.first)) return;
    this.first = now;
    this.host.after(this.d.debounceAfter, () => this.check());
  }

  private check(): void {
    const now = this.host.now;
    const quiet = now - this.last;
    if (quiet + EPS >= this.d.debounceAfter || now - this.first + EPS >= this.d.debounceMax) {
      this.accumulate();
      const n = this.targets ? this.targets.reached(this.changed) : this.proxies();
      const needs = this.targets ? this.targets.needs(this.changed) : () => true;
      this.host.applyPush?.(this.changed, this.updates, needs);
      this.changed.clear();
      this.updates = 0;
      this.proxyPushes += n;
      if (now < this.windowFrom) this.beforeWindow += n;
      this.pushes++;
      this.first = Number.NaN;
      return;
    }
    const wait = Math.min(this.d.debounceAfter - quiet, this.first + this.d.debounceMax - now);
    this.host.after(wait, () => this.check());
  }
}
