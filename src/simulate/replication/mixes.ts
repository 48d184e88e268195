// Versions behind one Service and request mixes at run time.
//
// What a request does at the pod that serves it (its behaviour: service time and calls) is drawn once per
// call: an entry point's route when its clients send several request types, else the service's route
// when it has routes, else what the pod's version does.
//
// A weighted split over versions is a VirtualService with weighted destinations: Istio translates it into
// Envoy weighted_clusters, one cluster per subset (istio/istio 1.28.0 pilot/pkg/networking/core/route/
// route.go, TranslateRoute -> applyHTTPRouteDestination: more than one destination sets
// `ClusterSpecifier = &route.RouteAction_WeightedClusters{...}` with each destination's weight). Envoy
// picks the cluster once per request, a random value modulo the total weight falling into one cluster's
// interval in list order (envoyproxy/envoy source/common/router/weighted_cluster_specifier.cc,
// WeightedClusterSpecifierPlugin::pickWeightedCluster), and load-balances inside it; the router keeps the
// route it picked for the request's retries (source/common/router/router.cc: route_entry_ is set in
// decodeHeaders, doRetry re-picks a host of the same cluster).
// Only an Envoy routes: the caller's sidecar or the callee's waypoint. kube-proxy and ztunnel pick an
// endpoint of the Service, so traffic splits by endpoints (replicas) and the weights are not honoured
// (Istio 1.28 docs, https://istio.io/v1.28/docs/ambient/usage/waypoint/: "Ztunnel is scoped to only
// process traffic at Layer 4"; L7 routing needs a waypoint). Such calls are counted per edge and reported.
import { Histogram, type RandomStreams } from '../../../sim/index.ts';
import type { Edge, Mix, World } from '../world/index.ts';
import { KeyedRng } from './keyed-random.ts';
import { LATENCY_RANGE } from './kinds.ts';
import type { Pods } from './pods.ts';

export class Mixes {
  /** Measured calls served per behaviour (w.behaviours), and per version (w.versions). */
  readonly behaviourCalls: Float64Array;
  readonly versionCalls: Float64Array;
  /** Measured attempts over each edge whose weighted split no proxy on the path could honour. */
  readonly splitUnhonoured: Float64Array;
  /** Latency of completed measured entry requests by route: [entryRouteBase[entry] + route]. */
  readonly entryRouteHist: Histogram[];
  readonly entryRouteBase: Int32Array;
  private readonly w: World;
  private readonly pods: Pods;
  private readonly routeRng: KeyedRng;
  private readonly versionRng: KeyedRng;
  /** Version subsets of an endpoint list, by the list, rebuilt when any endpoint list changed. */
  private readonly subsets = new Map<number[], number[][]>();
  private seen = -1;

  constructor(w: World, pods: Pods, streams: RandomStreams) {
    this.w = w;
    this.pods = pods;
    this.behaviourCalls = new Float64Array(w.behaviours.length);
    this.versionCalls = new Float64Array(w.versions.length);
    this.splitUnhonoured = new Float64Array(w.edges.length);
    this.entryRouteBase = new Int32Array(w.entryRoutes.length);
    let n = 0;
    w.entryRoutes.forEach((m, i) => {
      this.entryRouteBase[i] = n;
      n += m ? m.behaviours.length : 0;
    });
    this.entryRouteHist = Array.from({ length: n }, () => new Histogram(LATENCY_RANGE));
    this.routeRng = new KeyedRng(streams, 'route-mix');
    this.versionRng = new KeyedRng(streams, 'version-split');
  }

  /**
   * The behaviour of the call over `edge` with key `key` served by pod `dst`, counted when `measured`.
   * Keyed by the call only: its retries are the same request type.
   */
  behaviour(edge: Edge, dst: number, key: number, measured: boolean): number {
    const w = this.w;
    const entry = edge.entry >= 0 ? w.entryRoutes[edge.entry]! : null;
    const svc = w.podService[dst]!;
    const routes = entry ?? w.serviceRoutes[svc]!;
    const v = w.podVersion[dst]!;
    let b = svc;
    if (routes !== null) b = routes.behaviours[this.route(routes, key)]!;
    else if (v >= 0) b = w.versions[v]!.behaviour;
    if (measured) {
      this.behaviourCalls[b]!++;
      if (v >= 0) this.versionCalls[v]!++;
    }
    return b;
  }

  /**
   * The endpoints a call over `edge` may go to: with a weighted split and an Envoy picking per request
   * (`routed`), those of the version its weights draw for the call; otherwise all of `pods`, and a
   * measured attempt that should have been split by weight is counted as unhonoured.
   */
  endpoints(edge: Edge, pods: number[], routed: boolean, key: number, measured: boolean): number[] {
    const split = this.w.versionSplit[edge.to]!;
    if (split === null) return pods;
    if (!routed) {
      if (measured) this.splitUnhonoured[edge.id]!++;
      return pods;
    }
    const cum = split.cum;
    const v = this.drawVersion(cum, key);
    const subset = this.subsetsOf(pods, split.first, cum.length)[v]!;
    // Envoy's locality preference works inside the picked cluster: none of its endpoints near the caller
    // (in `pods`, the list PreferClose narrowed) means all of its ready ones.
    // A node-local service has no fallback: its cluster holds only the node's endpoints. (World services
    // are the scenario's, in order.)
    if (subset.length > 0 || pods === this.pods.serviceEndpoints[edge.to]) return subset;
    if (this.w.scenario.services[edge.to]?.internalTrafficPolicy === 'Local') return subset;
    return this.subsetsOf(this.pods.serviceEndpoints[edge.to]!, split.first, cum.length)[v]!;
  }

  /**
   * The subset an Envoy routes the call with key `key` over `edge` to (its version's index among the
   * service's, as endpoints() draws it; keyed by the call, so its retries go to the same subset, as
   * Envoy's weighted cluster is chosen once per request); 0 where the service has no split.
   */
  subset(edge: Edge, key: number): number {
    const split = this.w.versionSplit[edge.to]!;
    return split === null ? 0 : this.drawVersion(split.cum, key);
  }

  private drawVersion(cum: Float64Array, key: number): number {
    const u = this.versionRng.at(key, 0).next();
    let v = 0;
    while (v < cum.length - 1 && u >= cum[v]!) v++;
    return v;
  }

  /** A measured entry request of entry point `entry` with key `key` completed after `latency` seconds. */
  entryCompleted(entry: number, key: number, latency: number): void {
    const routes = this.w.entryRoutes[entry];
    if (!routes) return;
    this.entryRouteHist[this.entryRouteBase[entry]! + this.route(routes, key)]!.record(latency);
  }

  private route(m: Mix, key: number): number {
    const u = this.routeRng.at(key, 0).next();
    const cum = m.cum;
    let r = 0;
    while (r < cum.length - 1 && u >= cum[r]!) r++;
    return r;
  }

  private subsetsOf(pods: number[], first: number, n: number): number[][] {
    if (this.seen !== this.pods.endpointEpoch) {
      this.subsets.clear();
      this.seen = this.pods.endpointEpoch;
    }
    let out = this.subsets.get(pods);
    if (!out) {
      const version = this.w.podVersion;
      out = Array.from({ length: n }, (_, v) => pods.filter((p) => version[p] === first + v));
      this.subsets.set(pods, out);
    }
    return out;
  }
}
