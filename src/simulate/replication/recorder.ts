// What a replication measures: counters per entry point and call edge, latency histograms, the
// per-second series (the time bins), bytes on the wire and the disruption counters. Entry and edge
// figures count only calls started after the warm-up ("measured"); the series cover the whole run.
import { Histogram } from '../../../sim/index.ts';
import { seriesBins, seriesStep } from '../series-step.ts';
import type { Edge, World } from '../world/index.ts';
import { CAPTURED_POD, CPU_PROXIES, LATENCY_RANGE } from './kinds.ts';

export class Recorder {
  readonly step: number;
  readonly bins: number;
  // Per entry point.
  readonly entryOffered: Float64Array;
  readonly entryCompleted: Float64Array;
  readonly entryFailed: Float64Array;
  readonly entryTimedOut: Float64Array;
  readonly entryHist: Histogram[];
  // Per call edge.
  readonly edgeHist: Histogram[];
  readonly edgeCalls: Float64Array;
  readonly edgeFailed: Float64Array;
  readonly edgeRetries: Float64Array;
  readonly edgeL7Unhonoured: Float64Array;
  /** Calls to a waypoint-bound service whose path bypassed the waypoint (its L7 policy not enforced). */
  readonly edgeWaypointBypassed: Float64Array;
  /** Attempts the callee's proxy refused for their TLS (refusals.ts). */
  readonly edgeMtlsRefused: Float64Array;
  /** Attempts whose caller's sidecar is not given the callee: passed through, or refused (REGISTRY_ONLY). */
  readonly edgePassthrough: Float64Array;
  /** Attempts the balancing Envoy's circuit breakers refused (a 503 it answered itself). */
  readonly edgeOverflows: Float64Array;
  /** Attempts their Envoy reset at the per-try timeout (per-try-timeouts.ts). */
  readonly edgePerTryTimeouts: Float64Array;
  /** Retries the retry policy wanted and the balancing Envoy's retry limit stopped (retry-limits.ts). */
  readonly edgeRetryOverflows: Float64Array;
  // Per time bin.
  /** CPU seconds per time bin: [component slot][bin]; slot CPU_APP = applications, CPU_PROXIES + proxy class. */
  readonly cpuBins: Float64Array[];
  readonly arrivalBins: Float64Array;
  readonly errorBins: Float64Array;
  readonly latencyBins: Histogram[];
  readonly resetBins: Float64Array;
  readonly retryBins: Float64Array;
  readonly readyBins: Float64Array;
  readonly openBins: Float64Array;
  // Bytes of measured calls: all of them, and those crossing zones.
  crossZoneBytes = 0;
  totalBytes = 0;
  // Disruption counters (whole run; events attribute them by time window).
  connectionsReset = 0;
  connectionsDrained = 0;
  pooledConnectionsReset = 0;
  readonly resetsByService: Float64Array;
  /**
   * Requests failed as a user sees them: entry requests that failed, timed out or were refused (the same definition as an entry point's
   * `failed`, so the disruption table and the entry points count the same requests). A failure
   * deep in the call graph that fails its entry request counts once here; per depth, see edgeFailed.
   */
  requestsFailed = 0;
  /** Calls failed at any depth (each call edge's failures, summed). */
  callsFailed = 0;
  requestsRetried = 0;
  podsRestarted = 0;
  private readonly w: World;

  constructor(w: World) {
    this.w = w;
    const sim = w.scenario.simulation;
    // Long runs get wider bins, never more than MAX_SERIES_BINS (series-step.ts).
    this.step = seriesStep(sim.duration, sim.timeStep);
    this.bins = seriesBins(sim.duration, sim.timeStep);
    const E = w.edges.length;
    const N = w.scenario.traffic.length;
    this.entryOffered = new Float64Array(N);
    this.entryCompleted = new Float64Array(N);
    this.entryFailed = new Float64Array(N);
    this.entryTimedOut = new Float64Array(N);
    this.entryHist = Array.from({ length: N }, () => new Histogram(LATENCY_RANGE));
    this.edgeHist = Array.from({ length: E }, () => new Histogram(LATENCY_RANGE));
    this.edgeCalls = new Float64Array(E);
    this.edgeFailed = new Float64Array(E);
    this.edgeRetries = new Float64Array(E);
    this.edgeL7Unhonoured = new Float64Array(E);
    this.edgeWaypointBypassed = new Float64Array(E);
    this.edgeMtlsRefused = new Float64Array(E);
    this.edgePassthrough = new Float64Array(E);
    this.edgeOverflows = new Float64Array(E);
    this.edgeRetryOverflows = new Float64Array(E);
    this.edgePerTryTimeouts = new Float64Array(E);
    this.cpuBins = Array.from({ length: CPU_PROXIES + w.classes.length }, () => new Float64Array(this.bins));
    this.arrivalBins = new Float64Array(this.bins);
    this.errorBins = new Float64Array(this.bins);
    this.latencyBins = Array.from({ length: this.bins }, () => new Histogram(LATENCY_RANGE));
    this.resetBins = new Float64Array(this.bins);
    this.retryBins = new Float64Array(this.bins);
    this.readyBins = new Float64Array(this.bins);
    this.openBins = new Float64Array(this.bins);
    this.resetsByService = new Float64Array(w.services.length);
  }

  /** The time bin of instant `t` (the last bin holds everything at or past the end). */
  bin(t: number): number {
    const b = Math.floor(t / this.step);
    return b < this.bins ? b : this.bins - 1;
  }

  /** A request arrives at entry point `i`. */
  arrival(i: number, measured: boolean, now: number): void {
    this.arrivalBins[this.bin(now)]!++;
    if (measured) this.entryOffered[i]!++;
  }

  /** An entry request fails at once (no load generator could be scheduled). */
  refused(i: number, measured: boolean, now: number): void {
    this.requestsFailed++;
    if (measured) this.entryFailed[i]!++;
    this.errorBins[this.bin(now)]!++;
  }

  /** The call (`parent` < 0: an entry request) has its answer, or its final failure. */
  finished(
    edgeId: number,
    parent: number,
    measured: boolean,
    failed: boolean,
    latency: number,
    now: number,
  ): void {
    if (failed) {
      this.callsFailed++;
      if (parent < 0) this.requestsFailed++;
    }
    if (measured) {
      if (failed) this.edgeFailed[edgeId]!++;
      else this.edgeHist[edgeId]!.record(latency);
      if (parent < 0) {
        const e = this.w.edges[edgeId]!.entry;
        if (failed) this.entryFailed[e]!++;
        else {
          this.entryCompleted[e]!++;
          this.entryHist[e]!.record(latency);
        }
      }
    }
    if (parent < 0) {
      const bin = this.bin(now);
      if (failed) this.errorBins[bin]!++;
      else this.latencyBins[bin]!.record(latency);
    }
  }

  /** The caller gave up on the call. */
  timedOut(edgeId: number, parent: number, measured: boolean, now: number): void {
    this.callsFailed++;
    if (parent < 0) this.requestsFailed++;
    if (measured) {
      this.edgeFailed[edgeId]!++;
      if (parent < 0) {
        const e = this.w.edges[edgeId]!.entry;
        this.entryFailed[e]!++;
        this.entryTimedOut[e]!++;
      }
    }
    // The error series counts what users see: a child's timeout shows when its entry request fails.
    if (parent < 0) this.errorBins[this.bin(now)]!++;
  }

  /** A measured attempt takes route `t`: does it honour an L7 need, does it bypass the waypoint? */
  route(
    edge: Edge,
    t: { l7Capable: boolean; bypassesWaypoint: boolean; passthrough: boolean },
    dstKind: number,
  ): void {
    const edgeId = edge.id;
    if (edge.l7 && !t.l7Capable) this.edgeL7Unhonoured[edgeId]!++;
    // An ingress entry bypasses the callee's waypoint where the gateway sends straight to ztunnel.
    const skipped = edge.waypointSkipped && dstKind === CAPTURED_POD;
    if (t.bypassesWaypoint || skipped) this.edgeWaypointBypassed[edgeId]!++;
    if (t.passthrough) this.edgePassthrough[edgeId]!++;
  }

  /** The callee's proxy refused an attempt for its TLS (refusals.ts); the attempt fails as a reset. */
  mtlsRefused(edgeId: number, measured: boolean): void {
    if (measured) this.edgeMtlsRefused[edgeId]!++;
  }

  retried(edgeId: number, measured: boolean, now: number): void {
    this.requestsRetried++;
    this.retryBins[this.bin(now)]!++;
    if (measured) this.edgeRetries[edgeId]!++;
  }

  /** A caller connection of a call to service `to` was reset under its client. */
  connectionReset(to: number, now: number): void {
    this.connectionsReset++;
    this.resetsByService[to]!++;
    this.resetBins[this.bin(now)]!++;
  }

  /** A measured call crossed a network link between two nodes. */
  bytes(n: number, crossZone: boolean): void {
    this.totalBytes += n;
    if (crossZone) this.crossZoneBytes += n;
  }

  /** CPU seconds of component slot `slot` spent in the bin of `t`. */
  cpu(slot: number, t: number, seconds: number): void {
    this.cpuBins[slot]![this.bin(t)]! += seconds;
  }

  /** p99 of entry requests completed in [from, to), null if none. */
  p99Between(from: number, to: number): number | null {
    const h = new Histogram(LATENCY_RANGE);
    const last = Math.min(this.bins, Math.ceil(to / this.step));
    for (let b = Math.max(0, Math.floor(from / this.step)); b < last; b++) h.merge(this.latencyBins[b]!);
    return h.count > 0 ? h.quantile(0.99) : null;
  }

  /** Resets per service, by service key (only those that had any). */
  resetsByServiceKey(): Record<string, number> {
    const byService: Record<string, number> = {};
    this.w.services.forEach((x, i) => {
      if (this.resetsByService[i]! > 0) byService[x.key] = this.resetsByService[i]!;
    });
    return byService;
  }
}
