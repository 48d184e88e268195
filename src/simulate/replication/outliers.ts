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
// Locality failover: with outlier detection and localityLbSetting enabled, istiod gives the endpoints
// priorities by locality (same zone 0, same region 1; pilot/pkg/networking/core/loadbalancer/loadbalancer.go
// applyLocalityFailover, only "with outlier detection, or traffic will never failover": applyLocalityLoadBalancer
// in cluster_traffic_policy.go). A priority's health is min(100, 140 x healthy / hosts) (integer percent;
// default overprovisioning factor 140, api/envoy/config/endpoint/v3/endpoint.proto), each priority takes
// health x 100 / min(100, total health) of what load is left, the rounding remainder goes to the first
// healthy one, and a request's priority is drawn by that split (envoyproxy/envoy
// source/extensions/load_balancing_policies/common/load_balancer_impl.cc recalculatePerPriorityState,
// distributeLoad, choosePriority).
// ASSUMPTIONS: every zone is in one region (no subzones), so there are two priorities; each detector's
// interval timer starts at t = 0; a call's timeout is not reported to the detector; if every endpoint is
// ejected (maxEjectionPercent 100) the Envoy keeps sending to all of them instead of answering 503.
import type { RandomStreams } from '../../../sim/index.ts';
import type { OutlierDetection } from '../../scenario/index.ts';
import type { CallTable } from '../calls.ts';
import type { World } from '../world/index.ts';
import type { Balancing } from './balancing.ts';
import { KeyedRng } from './keyed-random.ts';
import * as kinds from './kinds.ts';
import type { Pods } from './pods.ts';

const PER_ENDPOINT_POOL = kinds.PER_ENDPOINT_POOL;
const DST_POD = kinds.DST_POD;
/** Envoy's default overprovisioning factor (ClusterLoadAssignment.Policy, in percent). */
const OVERPROVISIONING = 140;
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
  private readonly warmup: number;

  constructor(w: World, calls: CallTable, pods: Pods, balancing: Balancing, streams: RandomStreams) {
    this.w = w;
    this.calls = calls;
    this.pods = pods;
    this.balancing = balancing;
    const specs = w.scenario.services ?? [];
    const meshPolicy = w.scenario.mesh?.trafficPolicy;
    const policies = w.services.map((_, i) => specs[i]?.trafficPolicy ?? meshPolicy ?? null);
    this.policy = policies.map((p) => p?.outlierDetection ?? null);
    this.locality = Uint8Array.from(policies, (p) => (p?.outlierDetection && p.localityLb ? 1 : 0));
    this.servicePods = w.services.map((svc) => w.placement.byOwner.get(svc.key) ?? []);
    this.lbStep = Int32Array.from(w.templates, (t) => {
      let step = -1;
      t.steps.forEach((st, i) => {
        if (st.upstream === PER_ENDPOINT_POOL && st.attach !== DST_POD) step = i;
      });
      return step;
    });
    const n = balancing.active.length;
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
   * The endpoints Envoy `proxy` may pick from for service `svc` at `now`: all of `pods` without a
   * policy, else those not ejected, of the priority drawn for this attempt when locality failover is on.
   */
  candidates(
    pods: number[],
    proxy: number,
    svc: number,
    now: number,
    key: number,
    attempt: number,
  ): number[] {
    const od = this.policy[svc];
    if (od === null || od === undefined || proxy < 0) return pods;
    const block = this.balancing.block(proxy, svc);
    this.sweep(block, svc, od, now);
    const local = this.locality[svc] === 1;
    if (this.ejectedInBlock[block] === 0 && !local) return pods;
    const pos = this.balancing.position;
    const out = this.scratch;
    out.length = 0;
    if (!local) {
      for (const p of pods) if (this.ejected[block + pos[p]!] === 0) out.push(p);
      return out.length > 0 ? out : pods;
    }
    const node = this.pods.node;
    const zoneOf = this.w.nodeZone;
    const zone = zoneOf[node[this.w.proxyPod[proxy]!]!]!;
    let total0 = 0;
    let healthy0 = 0;
    let total1 = 0;
    let healthy1 = 0;
    for (const p of pods) {
      const up = this.ejected[block + pos[p]!] === 0 ? 1 : 0;
      if (zoneOf[node[p]!] === zone) {
        total0++;
        healthy0 += up;
      } else {
        total1++;
        healthy1 += up;
      }
    }
    const h0 = total0 > 0 ? Math.min(100, Math.floor((OVERPROVISIONING * healthy0) / total0)) : 0;
    const h1 = total1 > 0 ? Math.min(100, Math.floor((OVERPROVISIONING * healthy1) / total1)) : 0;
    const sum = Math.min(100, h0 + h1);
    if (sum === 0) return pods;
    let load0 = Math.min(100, Math.floor((h0 * 100) / sum));
    const load1 = Math.min(100 - load0, Math.floor((h1 * 100) / sum));
    if (h0 > 0) load0 += 100 - load0 - load1;
    const first = Math.floor(this.priorityPick.at(key, attempt).next() * 100) < load0;
    for (const p of pods) {
      if (this.ejected[block + pos[p]!] !== 0) continue;
      if ((zoneOf[node[p]!] === zone) === first) out.push(p);
    }
    return out.length > 0 ? out : pods;
  }

  /** Attempt `id` failed at step `at`: a 503 (or connection failure) for its Envoy if past that Envoy. */
  failed(id: number, at: number, now: number): void {
    const k = this.calls;
    if (k.lb[id]! < 0 || at <= this.lbStep[k.template[id]!]!) return;
    this.report(id, true, now);
  }

  /** Attempt `id` got its answer: a 5xx (not a gateway error) when one of its own calls failed. */
  answered(id: number, now: number): void {
    if (this.calls.lb[id]! < 0) return;
    if (this.calls.failed[id] === 1) this.report(id, false, now);
    else {
      this.consecutive5xx[this.calls.lb[id]!] = 0;
      this.consecutiveGateway[this.calls.lb[id]!] = 0;
    }
  }

  private report(id: number, gatewayError: boolean, now: number): void {
    const k = this.calls;
    const svc = this.w.edges[k.edge[id]!]!.to;
    const od = this.policy[svc];
    if (!od) return;
    const slot = k.lb[id]!;
    const block = slot - this.balancing.position[k.dst[id]!]!;
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
    const hosts = Math.max(1, this.pods.serviceEndpoints[svc]!.length);
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
