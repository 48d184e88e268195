// The proxies of a replication: their workers, whether they run, how many connections they hold, and
// what each one measured. A proxy's workers are threads: a request waits FIFO for one, which then runs
// its on-path CPU on the node's processor (node-cpu.ts), lets the request go on, and stays busy with the
// request's off-path CPU (stats, access logs) before taking the next one.
import {
  type Calendar,
  type Distribution,
  type RandomStreams,
  type Rng,
  ServerBank,
} from '../../../sim/index.ts';
import { grown } from '../grown.ts';
import type { World } from '../world/index.ts';

// A proxy's measures (after the warm-up; USED from the start), one Float64Array record of 8 per proxy:
// every hop writes the first five, and a separate array per field was a cache miss per field among large's
// 30,000 sidecars (`node --cpu-prof` line ticks, large sidecar: these five writes took 29 % of
// hop-work.ts take's ticks).
const CPU = 0;
const USED = 1;
const REQUESTS = 2;
const WAIT_SUM = 3;
const WAIT_MAX = 4;
const HANDSHAKES = 5;
const NEW_CONNECTIONS = 6;
const STRIDE = 8;

export class Proxies {
  /** Each proxy's workers and the line in front of them (a worker is held through its hop's CPU). */
  readonly queues: ServerBank;
  readonly workers: Int32Array;
  /** 1 while the proxy runs (a crashed one refuses connections). */
  readonly up: Uint8Array;
  /**
   * What holds each proxy's container down now (a scenario fault, an OOM kill's back-off, a DaemonSet
   * replacement's start): it runs again only when the last of them ends (disruption-host.ts setProxyUp).
   */
  readonly downs: Int32Array;
  /**
   * Generation of each proxy's container: a new pod, a rebooted node or a DaemonSet's new ztunnel starts a
   * new one, which nothing that held the old one down holds.
   */
  readonly container: Int32Array;
  private readonly crashLoop: Uint8Array;
  /** Generation of each node's ztunnel: an upgrade starts a new one next to the draining old one. */
  readonly ztunnelGen: Int32Array;
  /** Connections open on each proxy now, and their time integral over the measured window. */
  readonly open: Int32Array;
  readonly openArea: Float64Array;
  readonly openSince: Float64Array;
  /** Open connections its memory limit holds (world/memory.ts), and who is told when they are passed. */
  private readonly openLimit: Float64Array;
  overLimit: (p: number) => void = () => {};
  // The hop each call is at (a call is at one hop at a time): its proxy, CPU on and off its path, and
  // the non-CPU time it adds.
  hopProxy = new Int32Array(256);
  hopOn = new Float64Array(256);
  hopOff = new Float64Array(256);
  hopNonCpu = new Float64Array(256);
  /** Each proxy's measures, STRIDE per proxy (read them through the accessors below). */
  private readonly stats: Float64Array;
  private readonly hopTime: Distribution[];
  private readonly hopRng: Rng[];
  private readonly cal: Calendar;
  private readonly warmup: number;
  private readonly duration: number;

  /** `onGrant(call)` runs when a queued call gets a worker of the proxy it waits for. */
  constructor(w: World, cal: Calendar, streams: RandomStreams, onGrant: (call: number) => void) {
    const P = w.nProxies;
    const sim = w.scenario.simulation;
    this.cal = cal;
    this.warmup = sim.warmup;
    this.duration = sim.duration;
    this.workers = w.proxyWorkers;
    this.queues = new ServerBank(cal, w.proxyWorkers, (p, call, waited) =>
      this.granted(p, call, waited, onGrant),
    );
    // A proxy whose configuration alone exceeds its memory limit never runs (world/memory.ts).
    this.crashLoop = w.proxyCrashLoop;
    this.up = Uint8Array.from(w.proxyCrashLoop, (c) => 1 - c);
    this.downs = new Int32Array(P);
    this.container = new Int32Array(P);
    this.ztunnelGen = new Int32Array(w.placement.nodes.length);
    this.open = new Int32Array(P);
    this.openLimit = w.proxyOpenLimit;
    this.openArea = new Float64Array(P);
    this.openSince = new Float64Array(P);
    this.stats = new Float64Array(P * STRIDE);
    this.hopTime = w.criticalPath;
    this.hopRng = w.classes.map((c) => streams.stream(`hop:${c.name}`));
  }

  /** CPU seconds given to proxy p's workers by requests that reached it within the window (on + off path). */
  cpuOf(p: number): number {
    return this.stats[p * STRIDE + CPU]!;
  }

  /** CPU seconds of work that reached proxy p since the run began (what an autoscaler's metrics read). */
  usedOf(p: number): number {
    return this.stats[p * STRIDE + USED]!;
  }

  /** Work (xDS pushes) that reached proxy p off any request's path: counted as used. */
  addUsed(p: number, work: number): void {
    this.stats[p * STRIDE + USED]! += work;
  }

  /** Requests granted a worker of proxy p within the window, their summed and longest wait for it. */
  requestsOf(p: number): number {
    return this.stats[p * STRIDE + REQUESTS]!;
  }

  waitSumOf(p: number): number {
    return this.stats[p * STRIDE + WAIT_SUM]!;
  }

  waitMaxOf(p: number): number {
    return this.stats[p * STRIDE + WAIT_MAX]!;
  }

  /** TLS handshakes and new connections proxy p made or accepted within the window. */
  handshakesOf(p: number): number {
    return this.stats[p * STRIDE + HANDSHAKES]!;
  }

  newConnectionsOf(p: number): number {
    return this.stats[p * STRIDE + NEW_CONNECTIONS]!;
  }

  countHandshake(p: number): void {
    this.stats[p * STRIDE + HANDSHAKES]!++;
  }

  countNewConnection(p: number): void {
    this.stats[p * STRIDE + NEW_CONNECTIONS]!++;
  }

  /** Something holds proxy `p`'s current container down (a fault, an OOM kill, a replacement's start). */
  hold(p: number): void {
    this.downs[p]!++;
    this.runs(p);
  }

  /** A hold on container `container` of proxy `p` ends: nothing when that container was replaced. */
  release(p: number, container: number): void {
    if (container !== this.container[p]) return;
    this.downs[p] = Math.max(0, this.downs[p]! - 1);
    this.runs(p);
  }

  /** A new container of proxy `p` starts: nothing that held the old one down holds it. */
  replace(p: number): void {
    this.container[p]!++;
    this.downs[p] = 0;
    this.runs(p);
  }

  private runs(p: number): void {
    // A proxy that cannot hold its configuration is OOM-killed again at every start (world/memory.ts).
    this.up[p] = this.downs[p] === 0 && this.crashLoop[p] !== 1 ? 1 : 0;
  }

  /** Non-CPU time of one request through a proxy of class `cls` (kernel, redirect, network stack). */
  nonCpu(cls: number): number {
    return this.hopTime[cls]!.sample(this.hopRng[cls]!);
  }

  /**
   * Call `id` arrives at proxy `p` with its hop's CPU on and off its path and its non-CPU time; returns
   * true when a worker takes it at once (else `onGrant` runs when one is free).
   */
  arrive(id: number, p: number, on: number, off: number, nonCpu: number): boolean {
    if (id >= this.hopProxy.length) this.grow(Math.max(2 * this.hopProxy.length, id + 1));
    this.hopProxy[id] = p;
    this.hopOn[id] = on;
    this.hopOff[id] = off;
    this.hopNonCpu[id] = nonCpu;
    const now = this.cal.now;
    const at = p * STRIDE;
    if (now >= this.warmup && now < this.duration) this.stats[at + CPU]! += on + off;
    this.stats[at + USED]! += on + off;
    if (!this.queues.acquire(p, id)) return false;
    this.count(p, 0);
    return true;
  }

  private granted(p: number, call: number, waited: number, onGrant: (call: number) => void): void {
    this.count(p, waited);
    onGrant(call);
  }

  private count(p: number, wait: number): void {
    const now = this.cal.now;
    if (now >= this.warmup && now < this.duration) {
      const at = p * STRIDE;
      this.stats[at + REQUESTS]!++;
      this.stats[at + WAIT_SUM]! += wait;
      if (wait > this.stats[at + WAIT_MAX]!) this.stats[at + WAIT_MAX] = wait;
    }
  }

  /** Connections open on proxy `p` change by `d` at `now` (the time integral is kept exact). */
  changeOpen(p: number, d: number, now: number): void {
    this.openArea[p]! += this.open[p]! * (now - this.openSince[p]!);
    this.openSince[p] = now;
    this.open[p]! += d;
    // Connections past what its memory limit holds: the kernel kills it (oom-kills.ts).
    if (d > 0 && this.open[p]! > this.openLimit[p]!) this.overLimit(p);
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

  private grow(n: number): void {
    this.hopProxy = grown(this.hopProxy, n);
    this.hopOn = grown(this.hopOn, n);
    this.hopOff = grown(this.hopOff, n);
    this.hopNonCpu = grown(this.hopNonCpu, n);
  }
}
