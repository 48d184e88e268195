// Topology-aware routing: a Service with `trafficDistribution: PreferClose` sends a caller to the ready
// endpoints in the caller's zone when its zone has any, to all of them otherwise. kube-proxy does it from
// the EndpointSlice zone hints (kubernetes/kubernetes v1.31 pkg/proxy/topology.go CategorizeEndpoints:
// topology-aware endpoints only when some are in the node's zone), ztunnel and Envoy from Istio's
// translation of the field into locality preference (istio/istio 1.28 pilot/pkg/networking/core/
// loadbalancer and ztunnel's PreferClose load balancing mode), so all three architectures honour it.
// ASSUMPTION: the zone that chooses is the caller pod's, also where a waypoint picks for it.

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
  }

  /** The endpoints of service `to` a caller pod `src` may be sent to. */
  endpoints(to: number, src: number): number[] {
    const all = this.pods.serviceEndpoints[to]!;
    if (this.preferClose[to] === 0) return all;
    const node = this.pods.node[src]!;
    if (node < 0) return all;
    if (this.seen !== this.pods.endpointEpoch) {
      this.cache.fill(null);
      this.seen = this.pods.endpointEpoch;
    }
    const zone = this.w.nodeZone[node]!;
    const at = to * this.zones + zone;
    let local = this.cache[at];
    if (!local) {
      local = all.filter((p) => this.pods.node[p]! >= 0 && this.w.nodeZone[this.pods.node[p]!] === zone);
      this.cache[at] = local;
    }
    return local.length > 0 ? local : all;
  }
}
