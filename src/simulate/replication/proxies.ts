// The proxies of a replication: their workers, whether they run, how many connections they hold, and
// what each one measured. A proxy's CPU time per request is known when the request starts, so its FIFO
// multi-server queue follows the workload-vector recursion (Kiefer-Wolfowitz): a request arriving at t
// starts at max(t, earliest free worker) on that worker. No departure events are needed, which halves
// the events per proxy hop.
import type { Distribution, RandomStreams, Rng } from '../../../sim/index.ts';
import type { World } from '../world/index.ts';

export class Proxies {
  /** When each worker of each proxy is next free (proxy p's workers at p x maxWorkers ...). */
  readonly workerFree: Float64Array;
  readonly workers: Int32Array;
  readonly maxWorkers: number;
  /** Worker speed per proxy class (CFS throttling when the CPU limit is below the workers). */
  readonly speed: Float64Array;
  /** 1 while the proxy runs (a crashed one refuses connections). */
  readonly up: Uint8Array;
  /** Generation of each node's ztunnel: an upgrade starts a new one next to the draining old one. */
  readonly ztunnelGen: Int32Array;
  /** Connections open on each proxy now, and their time integral over the measured window. */
  readonly open: Int32Array;
  readonly openArea: Float64Array;
  readonly openSince: Float64Array;
  // Measured after the warm-up.
  /** Busy CPU seconds within the window. */
  readonly cpu: Float64Array;
  /** CPU seconds of work each proxy took since the run began (what an autoscaler's metrics read). */
  readonly used: Float64Array;
  /** Requests started, their summed and longest wait for a worker. */
  readonly requests: Float64Array;
  readonly waitSum: Float64Array;
  readonly waitMax: Float64Array;
  readonly handshakes: Float64Array;
  readonly newConnections: Float64Array;
  private readonly hopTime: Distribution[];
  private readonly hopRng: Rng[];
  private readonly warmup: number;
  private readonly duration: number;

  constructor(w: World, streams: RandomStreams) {
    const P = w.nProxies;
    const sim = w.scenario.simulation;
    this.warmup = sim.warmup;
    this.duration = sim.duration;
    this.maxWorkers = Math.max(1, ...w.classes.map((c) => c.workers));
    this.workerFree = new Float64Array(P * this.maxWorkers);
    this.workers = Int32Array.from(w.proxyClass, (c) => w.classes[c]!.workers);
    this.speed = Float64Array.from(w.classes, (c) => c.speed);
    this.up = new Uint8Array(P).fill(1);
    this.ztunnelGen = new Int32Array(w.placement.nodes.length);
    this.open = new Int32Array(P);
    this.openArea = new Float64Array(P);
    this.openSince = new Float64Array(P);
    this.cpu = new Float64Array(P);
    this.used = new Float64Array(P);
    this.requests = new Float64Array(P);
    this.waitSum = new Float64Array(P);
    this.waitMax = new Float64Array(P);
    this.handshakes = new Float64Array(P);
    this.newConnections = new Float64Array(P);
    this.hopTime = w.criticalPath;
    this.hopRng = w.classes.map((c) => streams.stream(`hop:${c.name}`));
  }

  /** Critical-path time of one request through a proxy of class `cls` at full speed, before queueing. */
  criticalPath(cls: number): number {
    return this.hopTime[cls]!.sample(this.hopRng[cls]!);
  }

  /**
   * Proxy `p` (of class `cls`) takes `cpu` seconds of work at `now`, FIFO over its workers: the worker
   * free soonest takes it. Returns when it starts; accounts its CPU and wait.
   */
  take(p: number, cls: number, cpu: number, now: number): number {
    const base = p * this.maxWorkers;
    const free = this.workerFree;
    let worker = base;
    for (let i = base + 1, end = base + this.workers[p]!; i < end; i++)
      if (free[i]! < free[worker]!) worker = i;
    const start = Math.max(free[worker]!, now);
    // A throttled worker (CPU limit below the worker count) takes longer for the same CPU.
    free[worker] = start + cpu / this.speed[cls]!;
    const wait = start - now;
    // CPU counts where the worker is busy: an overloaded proxy's backlog past the end of the run is not
    // CPU used within it (else utilisation could exceed its workers).
    const inWindow = Math.min(start + cpu, this.duration) - Math.max(start, this.warmup);
    if (inWindow > 0) this.cpu[p]! += inWindow;
    this.used[p]! += cpu;
    if (start >= this.warmup && start < this.duration) {
      this.requests[p]!++;
      this.waitSum[p]! += wait;
      if (wait > this.waitMax[p]!) this.waitMax[p] = wait;
    }
    return start;
  }

  /** Connections open on proxy `p` change by `d` at `now` (the time integral is kept exact). */
  changeOpen(p: number, d: number, now: number): void {
    this.openArea[p]! += this.open[p]! * (now - this.openSince[p]!);
    this.openSince[p] = now;
    this.open[p]! += d;
  }

  /** The measured window starts: connection-time integrals start from zero. */
  startMeasuring(now: number): void {
    this.openArea.fill(0);
    this.openSince.fill(now);
  }

  /** The measured window ends: the integrals are brought up to `now`. */
  stopMeasuring(now: number): void {
    for (let p = 0; p < this.open.length; p++) this.changeOpen(p, 0, now);
  }
}
