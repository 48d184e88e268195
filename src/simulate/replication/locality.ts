// Topology-aware routing: a Service with `trafficDistribution: PreferClose` sends a caller to the ready
// endpoints in the caller's zone when its zone has any, to all of them otherwise. kube-proxy does it from
// the EndpointSlice zone hints (kubernetes/kubernetes v1.31 pkg/proxy/topology.go CategorizeEndpoints:
// topology-aware endpoints only when some are in the node's zone), ztunnel and Envoy from Istio's
// translation of the field into locality preference (istio/istio 1.28 pilot/pkg/networking/core/
// loadbalancer and ztunnel's PreferClose load balancing mode), so all three architectures honour it.
// A waypoint's own Service prefers close replicas since Istio 1.24 (mesh/waypoint-locality.ts): callers
// connect to a waypoint in their zone when one is ready there.
// The zone that chooses is the chooser's: the caller's for kube-proxy, ztunnel (the source workload's
// locality, ztunnel src/state.rs load_balance) and its own sidecar; a waypoint's or a gateway's own where
// it balances per request (Istio ranks a proxy's endpoints by that proxy's locality: istio/istio 1.28.0
// pilot/pkg/xds/endpoints/endpoint_builder.go, locality: proxy.Locality; segments.ts pickPerRequest).

import { waypointPrefersClose } from '../../mesh/index.ts';
import type { World } from '../world/index.ts';
import type { Pods } from './pods.ts';

export class Locality {
  private readonly w: World;
  private readonly pods: Pods;
  private readonly preferClose: Uint8Array;
  /** Same-zone ready endpoints by service and zone, rebuilt when any endpoint list changed. */
  private readonly cache: (number[] | null)[];
  private readonly zones: number;
  private seen = -1;
  /** Same-zone ready waypoint replicas by edge and zone, rebuilt with the cache above. */
  private readonly waypointCache: (number[] | null)[];
  private readonly waypointClose: boolean;

  constructor(w: World, pods: Pods) {
    this.w = w;
    this.pods = pods;
    this.zones = w.nodeZone.reduce((m, z) => Math.max(m, z + 1), 1);
    // World services are the scenario's, in order (world/edges.ts).
    const specs = w.scenario.services ?? [];
    this.preferClose = Uint8Array.from(w.services, (_, i) =>
      specs[i]?.trafficDistribution === 'PreferClose' ? 1 : 0,
    );
    this.cache = new Array(w.services.length * this.zones).fill(null);
    this.waypointCache = new Array(w.edges.length * this.zones).fill(null);
    this.waypointClose = waypointPrefersClose(w.scenario.mesh.version);
  }

  /** Whether service `to` prefers close endpoints (trafficDistribution: PreferClose). */
  prefersClose(to: number): boolean {
    return this.preferClose[to] === 1;
  }

  /** The endpoints of service `to` a caller pod `src` (or the pod of the proxy choosing) may be sent to. */
  endpoints(to: number, src: number): number[] {
    const all = this.pods.serviceEndpoints[to]!;
    if (this.preferClose[to] === 0) return all;
    return this.near(this.cache, to, all, src);
  }

  /** The ready waypoint replicas `wps` of edge `edge` a caller pod `src` may connect to. */
  waypoints(edge: number, wps: number[], src: number): number[] {
    if (!this.waypointClose) return wps;
    return this.near(this.waypointCache, edge, wps, src);
  }

  /** `all`'s pods in the zone of pod `src` when it has any (cached under `index`), else `all`. */
  private near(cache: (number[] | null)[], index: number, all: number[], src: number): number[] {
    const node = this.pods.node[src]!;
    if (node < 0) return all;
    this.fresh();
    const zone = this.w.nodeZone[node]!;
    const at = index * this.zones + zone;
    let local = cache[at];
    if (!local) {
      local = this.inZone(all, zone);
      cache[at] = local;
    }
    return local.length > 0 ? local : all;
  }

  private inZone(pods: number[], zone: number): number[] {
    return pods.filter((p) => this.pods.node[p]! >= 0 && this.w.nodeZone[this.pods.node[p]!] === zone);
  }

  /** Forgets what was cached once any endpoint list changed. */
  private fresh(): void {
    if (this.seen === this.pods.endpointEpoch) return;
    this.cache.fill(null);
    this.waypointCache.fill(null);
    this.seen = this.pods.endpointEpoch;
  }
}
