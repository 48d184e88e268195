// Outlier detection and locality failover in the balancing Envoys (sidecars, waypoints, gateways), a layer
// over the endpoint pick (balancing.ts): it narrows the endpoints an Envoy may choose from, and hears how
// each attempt ended. Each Envoy keeps its own view, as each Envoy runs its own detector per cluster: the
// state lives per Balancing slot (one per balancing Envoy, callee service and endpoint).
//
// Outlier detection, envoyproxy/envoy source/common/upstream/outlier_detection_impl.cc (commit 00c7146):
//  - putHttpResponseCode: a 5xx counts towards consecutive_5xx, a 502/503/504 (and a connection failure,
//    mapped to 503 without split_external_local_origin_errors) towards consecutive_gateway_failure too; a
//    non-5xx resets both; reaching the threshold detects the host, whose counter then restarts;
//  - ejectHost: ejected only while 100 x (ejected + 1) / hosts <= max_ejection_percent (always_eject_one_host
//    off), and the host's backoff grows by one (while backoff x base < max + base);
//  - onIntervalTimer, every `interval`: a host ejected for at least min(base x backoff, max) returns
//    (counters reset); a host back for at least an interval loses one backoff step.
// Istio sets success-rate ejection off and healthy_panic_threshold to minHealthPercent, 0 by default:
// no panic routing (istio/istio 1.28.0 pilot/pkg/networking/core/cluster_traffic_policy.go).
//
// Locality load balancing (locality-lb.ts): with outlier detection and localityLbSetting enabled, the
// endpoints get priorities by locality against the balancing Envoy's (same zone, same region, elsewhere,
// with `failover` rules), and a request's priority is drawn by Envoy's health-based split; with
// `distribute`, a locality is drawn by its weight and health instead (outlier detection not needed).
// A call's timeout, where the balancing Envoy enforces it (its route timeout), is a 504 for the endpoint
// it was sent to, and Envoy resets that request, so its late answer counts for nothing: envoyproxy/envoy
// source/common/router/router.cc (commit 001b1c0) Filter::onResponseTimeout reports LocalOriginTimeout
// with timeout_response_code_ (504) for an upstream request still awaiting headers, then resets it;
// without split_external_local_origin_errors the detector takes that code as a response code
// (outlier_detection_impl.cc putResultNoLocalExternalSplit): a 5xx and a gateway failure.
// ASSUMPTIONS: each detector's interval timer starts at t = 0; if every endpoint is ejected
// (maxEjectionPercent 100) the Envoy keeps sending to all of them instead of answering 503.
import type { RandomStreams } from '../../../sim/index.ts';
import type { LocalityDistribute, OutlierDetection } from '../../scenario/index.ts';
import type { CallTable } from '../calls.ts';
import type { World } from '../world/index.ts';
import type { Balancing } from './balancing.ts';
import { KeyedRng } from './keyed-random.ts';
import * as kinds from './kinds.ts';
import {
  distributeRule,
  effective,
  health,
  localityWeights,
  type Place,
  priorityLoads,
  rawPriority,
} from './locality-lb.ts';
import type { Pods } from './pods.ts';

const PER_ENDPOINT_POOL = kinds.PER_ENDPOINT_POOL;
const DST_POD = kinds.DST_POD;
/** Istio's raw priorities (locality-lb.ts rawPriority): 0, 2, 3, 4. */
const RAW_PRIORITIES = 5;
/** Slack for comparing instants built from sums of seconds. */
const EPS = 1e-9;

export class Outliers {
  /** Per Balancing slot: the Envoy's counters and ejection state for that endpoint. */
  readonly consecutive5xx: Int32Array;
  readonly consecutiveGateway: Int32Array;
  readonly ejected: Uint8Array;
  readonly ejectedAt: Float64Array;
  readonly backoff: Int32Array;
  /** When the endpoint last returned (-1: never ejected). */
  readonly returnedAt: Float64Array;
  /** Endpoints ejected now, per block (indexed by the block's first slot). */
  readonly ejectedInBlock: Int32Array;
  /** Whether any cluster has outlier detection or distribute weights (the state above is kept only then). */
  readonly on: boolean;
  /** Ejections done, and refused by max ejection percent, over the run. */
  ejections = 0;
  overflows = 0;
  /** Ejections in the measured window, by the call edge whose failure caused them. */
  readonly edgeEjections: Float64Array;
  private readonly w: World;
  private readonly calls: CallTable;
  private readonly pods: Pods;
  private readonly balancing: Balancing;
  private readonly policy: (OutlierDetection | null)[];
  private readonly locality: Uint8Array;
  /** Every pod of each service, placed or not (the slots a sweep visits). */
  private readonly servicePods: number[][];
  /** Per route template: the step of the Envoy that balances (failures past it are the endpoint's). */
  private readonly lbStep: Int32Array;
  private readonly priorityPick: KeyedRng;
  private readonly scratch: number[] = [];
  /** Per service with locality failover: the raw priority by (caller zone x zones + endpoint zone). */
  private readonly rawByZones: (Int8Array | null)[];
  /** Per service with distribute: the rule of each caller zone (null: none matches, no weights). */
  private readonly distribute: ((LocalityDistribute | null)[] | null)[];
  /** Locality weights by (service, caller zone), and the endpoint epoch they were computed at. */
  private readonly weights = new Map<number, { epoch: number; w: number[] }>();
  private readonly zonePlaces: Place[];
  private readonly zones: number;
  private readonly zoneHosts: Int32Array;
  private readonly zoneHealthy: Int32Array;
  private readonly healths: number[] = [];
  private readonly loads: number[] = [];
  private readonly warmup: number;

  constructor(w: World, calls: CallTable, pods: Pods, balancing: Balancing, streams: RandomStreams) {
    this.w = w;
    this.calls = calls;
    this.pods = pods;
    this.balancing = balancing;
    // Per cluster (Balancing.clusterPolicies: each service's, then subsets with policies of their own).
    const policies = balancing.clusterPolicies;
    this.policy = policies.map((p) => p?.outlierDetection ?? null);
    this.locality = Uint8Array.from(policies, (p) => (p?.outlierDetection && p.localityLb ? 1 : 0));
    const nodes = w.placement.nodes;
    this.zones = w.nodeZone.reduce((m, z) => Math.max(m, z + 1), 1);
    const places: Place[] = new Array(this.zones);
    nodes.forEach((n, i) => {
      places[w.nodeZone[i]!] ??= { region: n.region, zone: n.zone };
    });
    this.zonePlaces = Array.from(places, (p) => p ?? { region: '', zone: '' });
    const Z = this.zones;
    this.rawByZones = policies.map((p, i) => {
      if (this.locality[i] === 0 || p?.distribute) return null;
      const out = new Int8Array(Z * Z);
      for (let c = 0; c < Z; c++)
        for (let e = 0; e < Z; e++)
          out[c * Z + e] = rawPriority(this.zonePlaces[c]!, this.zonePlaces[e]!, p?.failover ?? []);
      return out;
    });
    this.distribute = policies.map((p) =>
      p?.localityLb && p.distribute ? this.zonePlaces.map((c) => distributeRule(c, p.distribute!)) : null,
    );
    this.zoneHosts = new Int32Array(Z);
    this.zoneHealthy = new Int32Array(Z);
    this.servicePods = w.services.map((svc) => w.placement.byOwner.get(svc.key) ?? []);
    this.lbStep = Int32Array.from(w.templates, (t) => {
      let step = -1;
      t.steps.forEach((st, i) => {
        if (st.upstream === PER_ENDPOINT_POOL && st.attach !== DST_POD) step = i;
      });
      return step;
    });
    // Else huge.yaml (none) kept 64-74 MB of it (a 1.5-second sidecar run's peak RSS 977-987 MB, without
    // it 913) and reset two of its counters on every answered call.
    this.on = this.policy.some((od) => od !== null) || this.distribute.some((d) => d !== null);
    const n = this.on ? balancing.active.length : 0;
    this.consecutive5xx = new Int32Array(n);
    this.consecutiveGateway = new Int32Array(n);
    this.ejected = new Uint8Array(n);
    this.ejectedAt = new Float64Array(n);
    this.backoff = new Int32Array(n);
    this.returnedAt = new Float64Array(n).fill(-1);
    this.ejectedInBlock = new Int32Array(n);
    this.priorityPick = new KeyedRng(streams, 'locality-priority');
    this.edgeEjections = new Float64Array(w.edges.length);
    this.warmup = w.scenario.simulation?.warmup ?? 0;
  }

  /**
   * The endpoints Envoy `proxy` may pick from for service `svc` at `now`, in its cluster whose counts
   * are block `block` (Balancing.block, or a subset's): all of `pods` without a policy, else those not
   * ejected, of the priority (or locality) drawn for this attempt when locality load balancing applies.
   */
  candidates(
    pods: number[],
    block: number,
    proxy: number,
    svc: number,
    now: number,
    key: number,
    attempt: number,
  ): number[] {
    const c = this.balancing.clusterOf(block, svc);
    const od = this.policy[c];
    const dist = this.distribute[c];
    if (proxy < 0 || ((od === null || od === undefined) && !dist)) return pods;
    if (od) this.sweep(block, svc, od, now);
    const at = this.pods.proxyNode[proxy]!;
    // An Envoy with no node (its pod not placed) has no locality: no priorities, no weights.
    const zone = at >= 0 ? this.w.nodeZone[at]! : -1;
    const rule = zone >= 0 ? (dist?.[zone] ?? null) : null;
    if (rule) return this.distributed(pods, block, svc, zone, rule, key, attempt);
    const raw = zone >= 0 ? this.rawByZones[c] : null;
    if (this.ejectedInBlock[block] === 0 && !raw) return pods;
    const pos = this.balancing.position;
    const out = this.scratch;
    out.length = 0;
    if (!raw) {
      for (const p of pods) if (this.ejected[block + pos[p]!] === 0) out.push(p);
      return out.length > 0 ? out : pods;
    }
    return this.prioritised(pods, block, raw, zone, key, attempt);
  }

  /** Failover: the non-ejected endpoints of the priority drawn by Envoy's health-based split. */
  private prioritised(
    pods: number[],
    block: number,
    raw: Int8Array,
    zone: number,
    key: number,
    attempt: number,
  ): number[] {
    const pos = this.balancing.position;
    const node = this.pods.node;
    const zoneOf = this.w.nodeZone;
    const row = zone * this.zones;
    const hosts = this.zoneHosts.fill(0, 0, RAW_PRIORITIES);
    const healthy = this.zoneHealthy.fill(0, 0, RAW_PRIORITIES);
    for (const p of pods) {
      const r = raw[row + zoneOf[node[p]!]!]!;
      hosts[r]!++;
      if (this.ejected[block + pos[p]!] === 0) healthy[r]!++;
    }
    // The priorities present, renumbered in order (Istio), and Envoy's load on each.
    const healths = this.healths;
    healths.length = 0;
    for (let r = 0; r < RAW_PRIORITIES; r++) if (hosts[r]! > 0) healths.push(health(healthy[r]!, hosts[r]!));
    const loads = priorityLoads(healths, this.loads);
    if (loads.every((l) => l === 0)) return pods;
    const draw = Math.floor(this.priorityPick.at(key, attempt).next() * 100);
    let chosen = 0;
    for (let acc = loads[0]!; chosen < loads.length - 1 && draw >= acc; acc += loads[++chosen]!);
    let pick = -1;
    for (let r = 0, i = -1; r < RAW_PRIORITIES; r++) if (hosts[r]! > 0 && ++i === chosen) pick = r;
    const out = this.scratch;
    out.length = 0;
    for (const p of pods) {
      if (this.ejected[block + pos[p]!] !== 0) continue;
      if (raw[row + zoneOf[node[p]!]!] === pick) out.push(p);
    }
    return out.length > 0 ? out : pods;
  }

  /** Distribute: the non-ejected endpoints of the locality drawn by weight x health. */
  private distributed(
    pods: number[],
    block: number,
    svc: number,
    zone: number,
    rule: LocalityDistribute,
    key: number,
    attempt: number,
  ): number[] {
    const pos = this.balancing.position;
    const node = this.pods.node;
    const zoneOf = this.w.nodeZone;
    const hosts = this.zoneHosts.fill(0);
    const healthy = this.zoneHealthy.fill(0);
    for (const p of pods) {
      const z = zoneOf[node[p]!]!;
      hosts[z]!++;
      if (this.ejected[block + pos[p]!] === 0) healthy[z]!++;
    }
    // Istio's weights change only with the endpoints: kept until the endpoint lists change, per cluster
    // (a subset's hosts are its own).
    const subset = this.balancing.subsetAt.length > 0 ? this.balancing.subsetAt[block]! : 0;
    const at = (subset * this.w.services.length + svc) * this.zones + zone;
    let cached = this.weights.get(at);
    if (!cached || cached.epoch !== this.pods.endpointEpoch) {
      cached = { epoch: this.pods.endpointEpoch, w: localityWeights(rule, this.zonePlaces, [...hosts], []) };
      this.weights.set(at, cached);
    }
    const weights = cached.w;
    let sum = 0;
    for (let z = 0; z < this.zones; z++) sum += effective(weights[z]!, healthy[z]!, hosts[z]!);
    if (sum <= 0) return pods;
    let draw = this.priorityPick.at(key, attempt).next() * sum;
    // The last locality with weight, should rounding carry the draw past the end.
    let pick = -1;
    for (let z = 0; z < this.zones; z++) {
      const e = effective(weights[z]!, healthy[z]!, hosts[z]!);
      if (e <= 0) continue;
      pick = z;
      if (draw < e) break;
      draw -= e;
    }
    const out = this.scratch;
    out.length = 0;
    for (const p of pods) if (this.ejected[block + pos[p]!] === 0 && zoneOf[node[p]!] === pick) out.push(p);
    return out.length > 0 ? out : pods;
  }

  /** Attempt `id` failed at step `at`: a 503 (or connection failure) for its Envoy if past that Envoy. */
  failed(id: number, at: number, now: number): void {
    const k = this.calls;
    if (k.lb[id]! < 0 || at <= this.lbStep[k.template[id]!]!) return;
    this.report(id, true, now);
  }

  /**
   * Call `id` timed out where an Envoy balanced its attempt: a 504 for the endpoint it sent it to (if it
   * got that far), and the request, reset, is no longer one of that endpoint's active requests nor heard
   * of again (the attempt runs on upstream, unbalanced).
   */
  timedOut(id: number, now: number): void {
    const k = this.calls;
    const slot = k.lb[id]!;
    if (slot < 0) return;
    if (k.step[id]! > this.lbStep[k.template[id]!]!) this.report(id, true, now);
    this.balancing.done(slot, k.dst[id]!);
    k.lb[id] = -1;
  }

  /** Attempt `id` got its answer: a 5xx (not a gateway error) when one of its own calls failed. */
  answered(id: number, now: number): void {
    if (!this.on || this.calls.lb[id]! < 0) return;
    if (this.calls.failed[id] === 1) this.report(id, false, now);
    else {
      this.consecutive5xx[this.calls.lb[id]!] = 0;
      this.consecutiveGateway[this.calls.lb[id]!] = 0;
    }
  }

  private report(id: number, gatewayError: boolean, now: number): void {
    const k = this.calls;
    const svc = this.w.edges[k.edge[id]!]!.to;
    const slot = k.lb[id]!;
    const block = slot - this.balancing.position[k.dst[id]!]!;
    const od = this.policy[this.balancing.clusterOf(block, svc)];
    if (!od) return;
    this.sweep(block, svc, od, now);
    if (this.ejected[slot] === 1) return;
    if (gatewayError) {
      if (++this.consecutiveGateway[slot]! === od.consecutiveGatewayErrors) {
        this.consecutiveGateway[slot] = 0;
        this.eject(slot, block, svc, od, now, k.edge[id]!);
        if (this.ejected[slot] === 1) return;
      }
    } else this.consecutiveGateway[slot] = 0;
    if (++this.consecutive5xx[slot]! === od.consecutive5xxErrors) {
      this.consecutive5xx[slot] = 0;
      this.eject(slot, block, svc, od, now, k.edge[id]!);
    }
  }

  private eject(
    slot: number,
    block: number,
    svc: number,
    od: OutlierDetection,
    now: number,
    edge: number,
  ): void {
    const hosts = Math.max(1, this.hosts(block, svc));
    if ((100 * (this.ejectedInBlock[block]! + 1)) / hosts > od.maxEjectionPercent + EPS) {
      this.overflows++;
      return;
    }
    // The backoff steps lost on the interval ticks since the endpoint last returned.
    const back = this.returnedAt[slot]!;
    if (back >= 0) {
      const ticks = Math.floor((now - back) / od.interval + EPS);
      this.backoff[slot] = Math.max(0, this.backoff[slot]! - ticks);
    }
    this.ejected[slot] = 1;
    this.ejectedAt[slot] = now;
    this.ejectedInBlock[block]!++;
    this.ejections++;
    if (now >= this.warmup) this.edgeEjections[edge]!++;
    if (this.backoff[slot]! * od.baseEjectionTime < od.maxEjectionTime + od.baseEjectionTime)
      this.backoff[slot]!++;
  }

  /** The ready endpoints of the cluster whose counts are block `block`: its subset's, or the service's. */
  private hosts(block: number, svc: number): number {
    const all = this.pods.serviceEndpoints[svc]!;
    const split = this.w.versionSplit[svc];
    if (!split || this.balancing.subsetAt.length === 0) return all.length;
    const version = split.first + this.balancing.subsetAt[block]!;
    let n = 0;
    for (const p of all) if (this.w.podVersion[p] === version) n++;
    return n;
  }

  /**
   * Returns the block's endpoints whose ejection ended on an interval tick at or before `now`. An ejected
   * endpoint that left the endpoint list is forgotten, as Envoy drops the host's monitor (and its count
   * among the ejected); if it comes back it is a new host.
   */
  private sweep(block: number, svc: number, od: OutlierDetection, now: number): void {
    if (this.ejectedInBlock[block] === 0) return;
    const pos = this.balancing.position;
    for (const p of this.servicePods[svc]!) {
      const slot = block + pos[p]!;
      if (this.ejected[slot] === 0) continue;
      if (this.pods.ready[p] === 0) {
        this.ejected[slot] = 0;
        this.backoff[slot] = 0;
        this.returnedAt[slot] = -1;
        this.consecutive5xx[slot] = 0;
        this.consecutiveGateway[slot] = 0;
        this.ejectedInBlock[block]!--;
        continue;
      }
      const due =
        this.ejectedAt[slot]! + Math.min(od.baseEjectionTime * this.backoff[slot]!, od.maxEjectionTime);
      const tick = Math.ceil(due / od.interval - EPS) * od.interval;
      if (tick > now + EPS) continue;
      this.ejected[slot] = 0;
      this.returnedAt[slot] = tick;
      this.consecutive5xx[slot] = 0;
      this.consecutiveGateway[slot] = 0;
      this.ejectedInBlock[block]!--;
    }
  }
}
