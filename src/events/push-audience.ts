// Which connected proxies an istiod push reaches. An endpoint change is a push request naming the
// service whose endpoints changed (istio/istio 1.28.0 pilot/pkg/xds/eds.go EDSUpdate: ConfigsUpdated
// holds the ServiceEntry key of the service), and istiod sends it only to the proxies that need it
// (pilot/pkg/xds/ads.go pushConnection asks ProxyNeedsPush; pilot/pkg/xds/proxy_dependencies.go
// DefaultProxyNeedsPush): every ztunnel and waypoint ("optimizations do not apply since scoping uses
// different mechanism"), and a sidecar only when its SidecarScope depends on one of the changed services
// or one of them is its own (filterRelevantUpdates). A sidecar that sees the whole mesh depends on every
// service; one scoped to its callees (a Sidecar resource) on those and its own (mesh/config-size.ts
// sidecarView). istiod's merged (debounced) push carries every service changed since the last one.
import type { Placement } from '../cluster/index.ts';
import { isIstiodProxyPod, sidecarChurnShare, sidecarView, takesEveryObject } from '../mesh/index.ts';
import type { Scenario } from '../scenario/index.ts';

export class PushAudience {
  /** Connected proxies every push reaches: ztunnels, waypoints and sidecars that see the whole mesh. */
  private always = 0;
  /** Proxies connected now. */
  private total = 0;
  /** Connected scoped sidecars, each weighed by its share of the steady churn (mesh/churn-share.ts). */
  private scopedReach = 0;
  /** Connected waypoints and unscoped sidecars: those a routing or policy object's change reaches whole. */
  private objectWhole = 0;
  private readonly share = new Map<string, number>();
  /** Connected sidecars of each owner whose sidecars are scoped. */
  private readonly scoped = new Map<string, number>();
  /** For each service, the scoped owners whose sidecars see it. */
  private readonly dependents = new Map<string, string[]>();
  private readonly s: Scenario;
  /** Services and entry points: the owners a sidecar may belong to. */
  private readonly owners: Set<string>;
  private readonly known = new Map<string, boolean>();

  /** The proxies placed at the start (those mesh/control-plane.ts controlPlaneLoad counts). */
  constructor(s: Scenario, placement: Placement) {
    this.s = s;
    this.owners = new Set([...s.services.map((x) => x.key), ...s.traffic.map((e) => e.name)]);
    for (const svc of s.services) this.register(svc.key);
    for (const pod of placement.pods) {
      if (pod.node < 0) continue;
      if (pod.hasSidecar) this.add(pod.owner, 1);
      if (isIstiodProxyPod(pod)) {
        this.always++;
        this.total++;
        if (takesEveryObject(pod)) this.objectWhole++;
      }
    }
  }

  /** Proxies connected now. */
  get connected(): number {
    return this.total;
  }

  /**
   * `delta` proxies of `owner`'s pods connect or leave: its sidecars, or (`sidecar` false) the waypoint it
   * is, which every push reaches even where a service has the waypoint's name.
   */
  add(owner: string, delta: number, sidecar = true): void {
    this.total += delta;
    if (sidecar && this.register(owner)) {
      this.scoped.set(owner, this.scoped.get(owner)! + delta);
      this.scopedReach += delta * this.share.get(owner)!;
      return;
    }
    this.always += delta;
    this.objectWhole += delta;
  }

  /** Connected proxies a change of the steady churn reaches on average. */
  steadyReach(): number {
    return this.always + this.scopedReach;
  }

  /**
   * Connected proxies a change of a routing or policy object reaches on average: every waypoint and
   * unscoped sidecar, scoped sidecars for their share, no ztunnel (mesh/churn-share.ts).
   */
  objectReach(): number {
    return this.objectWhole + this.scopedReach;
  }

  /** Connected proxies a push of the endpoint changes of `changed` (service keys) reaches. */
  reached(changed: ReadonlySet<string>): number {
    let n = this.always;
    for (const owner of this.hit(changed)) n += this.scoped.get(owner)!;
    return n;
  }

  /** Whether the sidecars of `owner` need that push (every ztunnel and waypoint does). */
  needs(changed: ReadonlySet<string>): (owner: string) => boolean {
    const hit = this.hit(changed);
    return (owner) => !this.register(owner) || hit.has(owner);
  }

  /** The scoped owners whose sidecars see one of the services of `changed`. */
  private hit(changed: ReadonlySet<string>): Set<string> {
    const hit = new Set<string>();
    for (const key of changed) for (const owner of this.dependents.get(key) ?? []) hit.add(owner);
    return hit;
  }

  /** True when `owner`'s sidecars are scoped (registered with what they see on first sight). */
  private register(owner: string): boolean {
    const known = this.known.get(owner);
    if (known !== undefined) return known;
    const view = this.owners.has(owner) ? sidecarView(this.s, owner) : null;
    this.known.set(owner, view !== null);
    if (view === null) return false;
    this.scoped.set(owner, 0);
    this.share.set(owner, sidecarChurnShare(this.s, owner, view));
    for (const key of view) {
      const list = this.dependents.get(key);
      if (list) list.push(owner);
      else this.dependents.set(key, [owner]);
    }
    return true;
  }
}
