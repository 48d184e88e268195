// Topology-aware routing: a Service's `trafficDistribution` sends a caller to its closest ready endpoints.
// PreferClose (and its newer name PreferSameZone) prefers the caller's zone, PreferSameNode its node, then
// its zone. kube-proxy does it from the EndpointSlice hints, node hints before zone hints, and falls back
// to every endpoint (kubernetes/kubernetes v1.34 pkg/proxy/topology.go topologyModeFromHints: a tier
// applies only when some ready endpoint is hinted for the node's node or zone). Istio translates the field
// into a failover over [network, region, zone] (PreferSameNode: then subzone and node), the same for
// Envoy's priorities and for ztunnel's FAILOVER load balancing (istio/istio 1.28.0 pilot/pkg/networking/
// core/loadbalancer/loadbalancer.go GetLocalityLbSetting; pilot/pkg/serviceregistry/kube/controller/
// ambient/services.go preferSameZoneLoadBalancer, preferSameNodeLoadBalancer; ztunnel 1.28.0 src/state.rs
// load_balance keeps the endpoints matching most of them): where the zone has none, Istio's proxies
// prefer the caller's region before the rest, kube-proxy does not. So all three architectures honour it,
// and differ only across regions (one network assumed; meshsim has no subzones).
// A waypoint's own Service prefers close replicas since Istio 1.24 (mesh/waypoint-locality.ts): callers
// connect to a waypoint in their zone when one is ready there.
// The zone that chooses is the chooser's: the caller's for kube-proxy, ztunnel (the source workload's
// locality, ztunnel src/state.rs load_balance) and its own sidecar; a waypoint's or a gateway's own where
// it balances per request (Istio ranks a proxy's endpoints by that proxy's locality: istio/istio 1.28.0
// pilot/pkg/xds/endpoints/endpoint_builder.go, locality: proxy.Locality; endpoint-choice.ts pickPerRequest).
// internalTrafficPolicy: Local keeps a call on the chooser's node, with no fallback: kube-proxy uses only
// the node's local endpoints and drops what has none (kubernetes v1.34 pkg/proxy/topology.go
// CategorizeEndpoints; https://kubernetes.io/docs/concepts/services-networking/service-traffic-policy/),
// istiod sends an Envoy only the endpoints on its own node (istio/istio 1.28.0 pilot/pkg/xds/endpoints/
// endpoint_builder.go filterIstioEndpoint, NodeLocal), so no endpoint there is no healthy upstream, and
// gives ztunnel a STRICT NODE preference that takes precedence over trafficDistribution (ambient/
// services.go), so no endpoint on the source's node fails the connection.

import { waypointPrefersClose } from '../../mesh/index.ts';
import type { World } from '../world/index.ts';
import type { Pods } from './pods.ts';

/** trafficDistribution, as Locality reads it. */
const ANY = 0;
const SAME_ZONE = 1;
const SAME_NODE = 2;
/** internalTrafficPolicy: Local (whatever trafficDistribution says). */
const NODE_LOCAL = 3;
const NONE: number[] = [];

/** The close endpoints of each list (a service's, a waypoint's replicas) per node, zone and region. */
class Tiers {
  readonly node = new Map<number, number[]>();
  readonly zone = new Map<number, number[]>();
  readonly region = new Map<number, number[]>();
  clear(): void {
    this.node.clear();
    this.zone.clear();
    this.region.clear();
  }
}

export class Locality {
  private readonly w: World;
  private readonly pods: Pods;
  private readonly mode: Uint8Array;
  private readonly zones: number;
  private readonly regions: number;
  private readonly nodes: number;
  /** Each node's own index: the key of the node tier. */
  private readonly nodeIds: Int32Array;
  /** Rebuilt when any endpoint list changed. */
  private readonly services: Tiers;
  private readonly waypointTiers: Tiers;
  private seen = -1;
  private readonly waypointClose: boolean;

  constructor(w: World, pods: Pods) {
    this.w = w;
    this.pods = pods;
    this.zones = w.nodeZone.reduce((m, z) => Math.max(m, z + 1), 1);
    this.regions = w.nodeRegion.reduce((m, r) => Math.max(m, r + 1), 1);
    this.nodes = w.nodeZone.length;
    // World services are the scenario's, in order (world/edges.ts).
    const specs = w.scenario.services ?? [];
    this.mode = Uint8Array.from(w.services, (_, i) => {
      if (specs[i]?.internalTrafficPolicy === 'Local') return NODE_LOCAL;
      const d = specs[i]?.trafficDistribution;
      return d === 'PreferSameNode' ? SAME_NODE : d === undefined ? ANY : SAME_ZONE;
    });
    this.nodeIds = Int32Array.from(w.nodeZone, (_, n) => n);
    this.services = new Tiers();
    this.waypointTiers = new Tiers();
    this.waypointClose = waypointPrefersClose(w.scenario.mesh.version);
  }

  /**
   * Whether which endpoints of service `to` a caller gets depends on where the chooser is (any
   * trafficDistribution, internalTrafficPolicy: Local).
   */
  prefersClose(to: number): boolean {
    return this.mode[to] !== ANY;
  }

  /** Whether service `to` is node-local (internalTrafficPolicy: Local): no endpoint there, no call. */
  nodeLocal(to: number): boolean {
    return this.mode[to] === NODE_LOCAL;
  }

  /**
   * The endpoints of service `to` a caller pod `src` (or the pod of the proxy choosing) may be sent to:
   * chosen by Istio (an Envoy, a ztunnel) or, `istio` false, by kube-proxy.
   */
  endpoints(to: number, src: number, istio: boolean): number[] {
    const all = this.pods.serviceEndpoints[to]!;
    const mode = this.mode[to]!;
    if (mode === ANY) return all;
    if (mode === NODE_LOCAL) {
      const node = this.pods.node[src]!;
      if (node < 0) return NONE;
      this.fresh();
      return this.tier(this.services.node, to, all, this.nodeIds, this.nodes, node);
    }
    return this.near(this.services, to, all, src, mode === SAME_NODE, istio);
  }

  /** The ready waypoint replicas `wps` of edge `edge` a caller pod `src`'s ztunnel may connect to. */
  waypoints(edge: number, wps: number[], src: number): number[] {
    if (!this.waypointClose) return wps;
    return this.near(this.waypointTiers, edge, wps, src, false, true);
  }

  /**
   * `all`'s pods closest to pod `src` (cached under `index`): on its node (`byNode`), else in its zone,
   * else (`byRegion`) in its region, else all of them.
   */
  private near(
    t: Tiers,
    index: number,
    all: number[],
    src: number,
    byNode: boolean,
    byRegion: boolean,
  ): number[] {
    const node = this.pods.node[src]!;
    if (node < 0) return all;
    this.fresh();
    const w = this.w;
    if (byNode) {
      const local = this.tier(t.node, index, all, this.nodeIds, this.nodes, node);
      if (local.length > 0) return local;
    }
    const local = this.tier(t.zone, index, all, w.nodeZone, this.zones, node);
    if (local.length > 0) return local;
    if (!byRegion || this.regions === 1) return all;
    const wide = this.tier(t.region, index, all, w.nodeRegion, this.regions, node);
    return wide.length > 0 ? wide : all;
  }

  /** `all`'s pods on the nodes whose `keys` (of `width` values) equal `node`'s, cached under `index`. */
  private tier(
    cache: Map<number, number[]>,
    index: number,
    all: number[],
    keys: Int32Array,
    width: number,
    node: number,
  ): number[] {
    const key = keys[node]!;
    let close = cache.get(index * width + key);
    if (!close) {
      close = this.within(all, (n) => keys[n] === key);
      cache.set(index * width + key, close);
    }
    return close;
  }

  private within(pods: number[], on: (node: number) => boolean): number[] {
    return pods.filter((p) => this.pods.node[p]! >= 0 && on(this.pods.node[p]!));
  }

  /** Forgets what was cached once any endpoint list changed. */
  private fresh(): void {
    if (this.seen === this.pods.endpointEpoch) return;
    this.services.clear();
    this.waypointTiers.clear();
    this.seen = this.pods.endpointEpoch;
  }
}
