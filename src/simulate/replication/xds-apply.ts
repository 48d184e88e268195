// The CPU a proxy spends applying what istiod pushes it during the run, as a job of its container on its
// node: it competes for the node's cores and the container's CPU limit with the proxy's hops, and counts
// in the CPU the proxy uses (and that its autoscaler reads). The steady churn's pushes stay in each
// proxy's background CPU (mesh/idle.ts envoyIdleCpu, ztunnelIdleCpu); these are the pushes of the run's
// own endpoint changes and reconnections (events/istiod-load.ts), priced by the same coefficients:
//  - an Envoy (sidecar, waypoint, ingress gateway) rebuilds the clusters of the changed services it holds, each with its
//    endpoints: istiod sends an endpoint change as an incremental EDS push of the changed services only
//    (istio/istio 1.28.0 pilot/pkg/model/push_context.go PushRequest.Full: "Generally, only EDS will set
//    this [false]"). A proxy holding none of them applies nothing (ASSUMPTION: no fixed cost for an
//    update that changes none of its clusters);
//  - a ztunnel applies one workload update per endpoint event (every workload of the cluster is in its
//    configuration);
//  - a headless Service's sidecars hold no endpoints of it (an ORIGINAL_DST cluster), so its endpoint
//    change costs them nothing, unless some call reaches it over TCP: they then hold a listener per pod,
//    and istiod makes the change a full push (istio/istio 1.28.0 pilot/pkg/serviceregistry/kube/
//    controller/endpointslice.go: "we need to do a full push if service exposes TCP ports", Full: true,
//    reason HeadlessEndpointUpdate), which every Envoy holding it applies whole. The gateway and the
//    waypoints hold it as EDS and take its endpoints as any service's;
//  - a proxy that (re)connects applies its whole configuration at once.
// Envoy applies xDS on its main thread, not on a worker (https://www.envoyproxy.io/docs/envoy/v1.38.3/
// intro/arch_overview/intro/threading_model: the main thread handles "configuration updates (xDS)"), so
// a push holds no worker; it runs beside them in the container.
import {
  configSize,
  endpointsSeen,
  envoyFullPushCpu,
  heldServices,
  type IdleCoefficients,
  serviceEndpoints,
  tcpCallees,
  withIdleDefaults,
  ZTUNNEL,
} from '../../mesh/index.ts';
import { CPU_PROXIES, HOP_OFF_PATH } from './kinds.ts';
import type { Parts } from './parts.ts';

export class XdsApply {
  private readonly p: Parts;
  private readonly c: IdleCoefficients;
  /** Each Envoy's held services by class and owner (null: every service), asked once per owner. */
  private readonly held = new Map<string, ReadonlySet<string> | null>();
  /** Core-seconds each proxy spent on pushes within the measured window. */
  readonly inWindow: Float64Array;

  constructor(p: Parts) {
    this.p = p;
    this.c = withIdleDefaults(p.w.scenario.mesh.idle);
    this.inWindow = new Float64Array(p.w.nProxies);
  }

  /** Proxy `proxy` (re)connected: it applies its whole configuration. */
  full(proxy: number): void {
    const { w } = this.p;
    if (!this.connected(proxy)) return;
    const cls = w.classes[w.proxyClass[proxy]!]!;
    const size = configSize(
      w.scenario,
      w.placement,
      cls.name,
      this.owner(proxy),
      this.p.pods.proxyNode[proxy]!,
    );
    const c = this.c;
    this.run(
      proxy,
      w.proxyClass[proxy] === ZTUNNEL
        ? c.ztunnelCpuPerUpdate * (size.workloads + size.services)
        : envoyFullPushCpu(size, c),
    );
  }

  /**
   * istiod pushes the endpoint changes of `changed` (`updates` endpoint events) to every connected
   * ztunnel and waypoint, and to the sidecars of the owners `needs` says.
   */
  changes(changed: ReadonlySet<string>, updates: number, needs: (owner: string) => boolean): void {
    const { w } = this.p;
    const c = this.c;
    // The work of rebuilding each changed service's cluster; a node-local service's depends on the
    // Envoy's node, whose endpoints of it are all it holds (config-size.ts endpointsSeen).
    const rebuild = new Map<string, number>();
    const nodeLocal: string[] = [];
    const full: string[] = [];
    const headless = new Set<string>();
    for (const key of changed) {
      const svc = w.scenario.services[w.serviceIndex.get(key) ?? -1];
      if (svc?.headless) {
        headless.add(key);
        if (tcpCallees(w.scenario).has(key)) full.push(key);
      }
      if (this.p.locality.nodeLocal(w.serviceIndex.get(key) ?? -1)) nodeLocal.push(key);
      else
        rebuild.set(
          key,
          c.envoyPushCpuPerCluster +
            c.envoyPushCpuPerEndpoint * serviceEndpoints(w.scenario, w.placement, key),
        );
    }
    for (let px = 0; px < w.nProxies; px++) {
      if (!this.connected(px)) continue;
      const cls = w.classes[w.proxyClass[px]!]!;
      if (cls.name === 'ztunnel') {
        this.run(px, c.ztunnelCpuPerUpdate * updates);
        continue;
      }
      const owner = this.owner(px);
      if (cls.name === 'sidecar' && !needs(owner)) continue;
      const held = this.heldBy(cls.name, owner);
      if (full.some((key) => held === null || held.has(key))) {
        this.full(px);
        continue;
      }
      const sidecar = cls.name === 'sidecar';
      let work = 0;
      for (const [key, cost] of rebuild)
        if ((held === null || held.has(key)) && !(sidecar && headless.has(key))) work += cost;
      const node = this.p.pods.proxyNode[px]!;
      for (const key of nodeLocal)
        if (held === null || held.has(key))
          work +=
            c.envoyPushCpuPerCluster +
            c.envoyPushCpuPerEndpoint * endpointsSeen(w.scenario, w.placement, key, node);
      if (work > 0) this.run(px, c.envoyPushCpu + work);
    }
  }

  /** Up, in a pod that exists on a node, and (but a ztunnel) the proxy its pod's readiness waits on. */
  private connected(px: number): boolean {
    const { w, pods, proxies } = this.p;
    const pod = w.proxyPod[px]!;
    if (proxies.up[px] !== 1 || pods.node[pod]! < 0 || Number.isNaN(pods.presentSince[pod]!)) return false;
    // A sidecar the pod lost when it moved to ambient is no longer that proxy.
    return w.proxyClass[px] === ZTUNNEL || pods.readinessProxy(pod) === px;
  }

  private owner(px: number): string {
    const { w } = this.p;
    return w.placement.pods[w.proxyPod[px]!]!.owner;
  }

  private heldBy(
    cls: 'sidecar' | 'waypoint' | 'gateway' | 'ztunnel',
    owner: string,
  ): ReadonlySet<string> | null {
    const key = `${cls}:${owner}`;
    let held = this.held.get(key);
    if (held === undefined) {
      held = heldServices(this.p.w.scenario, cls, owner);
      this.held.set(key, held);
    }
    return held;
  }

  /** `work` core-seconds of proxy `px`'s container on its node, holding no worker. */
  private run(px: number, work: number): void {
    if (work <= 0) return;
    const { w, pods, cpu, cal, proxies, recorder } = this.p;
    const node = pods.proxyNode[px]!;
    const now = cal.now;
    const { warmup, duration } = w.scenario.simulation;
    cpu.offer(px, node, work);
    proxies.addUsed(px, work);
    if (now >= warmup && now < duration) this.inWindow[px]! += work;
    if (now < duration) recorder.cpu(CPU_PROXIES + w.proxyClass[px]!, now, work);
    // Its end needs no event of its own when it runs unshared at once; else the processor's token names
    // no worker to free (hop-work.ts: an off-path job of an index past the proxies).
    if (!cpu.fast(px, node, work)) cpu.start(px, node, work, (w.nProxies + px) * 4 + HOP_OFF_PATH);
  }
}
