// One replication of one architecture: owns the calendar and the call table, builds the parts, registers
// the calendar handlers (each named after the method it runs), and runs: warm-up, measured window, and
// the tick that samples the per-second series. Only run.ts and summarise/measure.ts know this class.
import { Calendar, RandomStreams } from '../../../sim/index.ts';
import {
  type AutoscaleRecord,
  type ControlPlaneRun,
  type DisruptionRecord,
  scheduleEvents,
} from '../../events/index.ts';
import { CallTable } from '../calls.ts';
import type { World } from '../world/index.ts';
import { Applications } from './applications.ts';
import { Arrivals } from './arrivals.ts';
import { Balancing } from './balancing.ts';
import { ClosedLoops } from './closed-loop.ts';
import { Connections } from './connections.ts';
import { ReplicationHost } from './disruption-host.ts';
import { Hops } from './hops.ts';
import { widenInlining } from './inlining.ts';
import { CLIENT_CPU } from './kinds.ts';
import { Locality } from './locality.ts';
import { Mixes } from './mixes.ts';
import { NodeCpu } from './node-cpu.ts';
import { OomKills } from './oom-kills.ts';
import { Outliers } from './outliers.ts';
import type { Parts } from './parts.ts';
import { Pods } from './pods.ts';
import { Proxies } from './proxies.ts';
import { Recorder } from './recorder.ts';
import { RequestPath } from './request-path.ts';
import { Retries } from './retries.ts';
import { Segments } from './segments.ts';
import { UpstreamPools } from './upstream-pools.ts';

/** How often a run with onTime reports the simulated time: every 1/200 of its duration. */
const PROGRESS_STEPS = 200;

export class Replication implements Parts {
  readonly w: World;
  readonly cal = new Calendar(4096);
  readonly calls = new CallTable(4096);
  readonly duration: number;
  readonly warmup: number;
  readonly arrivals: Arrivals;
  readonly loops: ClosedLoops;
  readonly locality: Locality;
  readonly mixes: Mixes;
  readonly pods: Pods;
  readonly apps: Applications;
  readonly proxies: Proxies;
  readonly cpu: NodeCpu;
  readonly hops: Hops;
  readonly connections: Connections;
  readonly balancing: Balancing;
  readonly outliers: Outliers;
  readonly pools: UpstreamPools;
  readonly retries: Retries;
  readonly recorder: Recorder;
  readonly path: RequestPath;
  readonly host: ReplicationHost;
  readonly oomKills: OomKills;
  /** What each disruption event did (filled when the run ends). */
  disruption: DisruptionRecord[] = [];
  /** What each autoscaler did (filled when the run ends). */
  autoscaling: AutoscaleRecord[] = [];
  /** istiod's simulated push load over the measured window (null: istiod does not run). */
  controlPlane: ControlPlaneRun | null = null;
  /** Pods the kubelets evicted under memory pressure within the measured window, and from how many nodes. */
  evictions = { pods: 0, nodes: 0 };
  private readonly tick: number;
  private readonly action: number;
  /** Rare scheduled actions (disruption controllers): closures are fine off the hot path. */
  private readonly actions: Array<(() => void) | null> = [];
  private readonly freeActions: number[] = [];

  constructor(w: World, seed: string) {
    widenInlining(w.scenario);
    this.w = w;
    const sim = w.scenario.simulation;
    this.duration = sim.duration;
    this.warmup = sim.warmup;
    const streams = new RandomStreams(seed);
    const cal = this.cal;
    this.pods = new Pods(w);
    this.locality = new Locality(w, this.pods);
    this.mixes = new Mixes(w, this.pods, streams);
    this.proxies = new Proxies(w, cal, streams, (call) => this.path.hopRun(call));
    // A load generator's CPU job lets its request leave; every other job is the request path's.
    this.cpu = new NodeCpu(w, cal, (token) =>
      (token & 3) === CLIENT_CPU ? this.path.entries.cpuDone(token) : this.path.cpuDone(token),
    );
    this.apps = new Applications(w, cal, streams, (call) => this.path.appStart(call));
    this.connections = new Connections(w, streams);
    this.pools = new UpstreamPools();
    this.hops = new Hops(w, this.pods.node);
    this.balancing = new Balancing(w, streams, this.pods.node);
    this.outliers = new Outliers(w, this.calls, this.pods, this.balancing, streams);
    this.retries = new Retries(w, streams);
    this.recorder = new Recorder(w);
    this.arrivals = new Arrivals(w, streams);
    this.loops = new ClosedLoops(w, streams);
    const segments = new Segments(this);
    const path = new RequestPath(this, segments);
    this.path = path;
    this.host = new ReplicationHost(this, path, segments, streams, (delay, fn) => this.after(delay, fn));
    this.oomKills = new OomKills(this, this.host, streams);
    this.proxies.overLimit = (px) => this.oomKills.overLimit(px);
    // Registered in this order since the first version: handler ids are part of no output, but keeping
    // the order keeps the calendar's tables the same.
    const on = path.on;
    on.arrive = cal.on((i) => path.entries.arrive(i));
    on.atHop = cal.on((id) => path.atHop(id));
    on.atApp = cal.on((id) => path.atApp(id));
    on.nextBatch = cal.on((id) => path.nextBatch(id));
    on.complete = cal.on((id) => path.complete(id));
    on.timeout = cal.on((id) => path.timeout(id));
    on.startAttempt = cal.on((id) => path.startAttempt(id));
    on.retryOrFail = cal.on((id) => path.retryOrFail(id));
    this.tick = cal.on((b) => this.sample(b));
    this.action = cal.on((a) => this.runAction(a));
    on.send = cal.on((c) => path.entries.send(c));
    on.leave = cal.on((slot) => path.entries.leave(slot));
    on.tryTimeout = cal.on((id) => path.tryTimeout(id));
  }

  /**
   * Runs the whole replication. `onTime(t)`, when given, hears the simulated time reached, about
   * PROGRESS_STEPS times over the run (a progress bar's; huge's sidecar takes minutes).
   */
  run(onTime?: (simulated: number) => void): void {
    const c = this.cal;
    const rec = this.recorder;
    for (let b = 0; b < rec.bins; b++) c.scheduleAt(b * rec.step, this.tick, b);
    const events = scheduleEvents(this.host, this.w.scenario);
    for (let i = 0; i < this.w.scenario.traffic.length; i++) {
      if (!this.w.scenario.traffic[i]!.closedLoop)
        c.schedule(this.arrivals.gapAfter(i, 0), this.path.on.arrive, i);
    }
    for (let l = 0; l < this.loops.count; l++) c.schedule(this.loops.firstSend(l), this.path.on.send, l);
    this.runTo(this.warmup, onTime);
    this.startMeasuring();
    this.runTo(this.duration, onTime);
    this.proxies.stopMeasuring(c.now);
    this.disruption = events.close(this.duration, this.warmup);
    this.autoscaling = events.autoscaling(this.duration);
    this.controlPlane = events.controlPlane(this.duration);
    this.evictions = events.evictions();
  }

  /**
   * Runs the calendar to `until`, with onTime in slices of the duration. Slicing changes nothing run:
   * Calendar.run(t) runs every event at or before t in (time, sequence) order, and between slices only
   * the calendar's clock is moved to t, which the next event sets to its own time before any handler
   * reads it (the same results, tested).
   */
  private runTo(until: number, onTime: ((simulated: number) => void) | undefined): void {
    const c = this.cal;
    // (A duration of 0, which scenarios refuse, would make slices of 0: no slicing then.)
    if (onTime && this.duration > 0) {
      const slice = this.duration / PROGRESS_STEPS;
      for (let t = c.now + slice; t < until; t += slice) {
        c.run(t);
        onTime(t);
      }
    }
    c.run(until);
    onTime?.(until);
  }

  /**
   * Measured requests of entry point `i` still in flight (neither answered, failed nor timed out),
   * those its load generator's CPU has not sent yet included.
   */
  entryInFlight(i: number): number {
    const k = this.calls;
    let n = this.path.entries.client.pending[i]!;
    for (let id = 0; id < k.capacity; id++) {
      if (
        k.inUse[id] &&
        k.parent[id] === -1 &&
        k.measured[id] &&
        !k.abandoned[id] &&
        this.w.edges[k.edge[id]!]!.entry === i
      )
        n++;
    }
    return n;
  }

  private startMeasuring(): void {
    const now = this.cal.now;
    this.proxies.startMeasuring(now);
    this.cpu.resetStats(now);
  }

  /** The per-second series sampled at the start of bin `b`. */
  private sample(b: number): void {
    this.recorder.readyBins[b] = this.pods.readyApplications();
    this.recorder.openBins[b] = this.connections.count;
  }

  /** Runs `fn` after `delay` simulated seconds. */
  private after(delay: number, fn: () => void): void {
    const a = this.freeActions.pop() ?? this.actions.length;
    this.actions[a] = fn;
    this.cal.schedule(Math.max(0, delay), this.action, a);
  }

  private runAction(a: number): void {
    const f = this.actions[a]!;
    this.actions[a] = null;
    this.freeActions.push(a);
    f();
  }
}
