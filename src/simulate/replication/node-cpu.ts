// Every node is a processor with its allocatable cores (sim/processor.ts); every CPU demand of a
// replication runs on it: a proxy's per-request work (each worker thread one job at most), an
// application's CPU part of its service time. Each container is one processor group, weighed by the
// cpu.shares the kubelet gives it and capped by its CFS quota (src/cluster/cpu-shares.ts), so a busy
// application starves a sidecar with a small request and a CPU limit throttles whoever has one: as a
// CFS quota per period (the kubelet's cpuCFSQuotaPeriod), so a container with more threads than its
// limit runs them all until its quota is spent and then waits for the next period.
// Background CPU (idle proxies, node agents) is taken off the node's cores up front (world/node-cpu.ts).
//
// Containers are numbered proxies first (0..P-1), then application pods (P + pod). A pod that moves to
// another node gets a new group there; the groups of a container are summed when measured.
//
// A thread that finds a free core and needs less than the scheduler's time slice runs to the end of its
// work without being preempted (Linux fair.c: a task runs its slice, sysctl_sched_base_slice, before a
// peer may take its core; see world/cpu-slice.ts). Such a job (most proxy hops) is not handed to the
// processor at all: it keeps one core for its work and its end is known when it starts, so it costs no
// event. The processor shares the cores those jobs leave (cores - running short jobs) among the others.
import {
  arenaNumbers,
  type Calendar,
  type GroupUsage,
  Processor,
  ProcessorArena,
} from '../../../sim/index.ts';
import { grown } from '../grown.ts';
import type { World } from '../world/index.ts';

// A container's fields in NodeCpu's box.
/** Core-seconds of work that reached it within the window. */
const OFFERED_BY = 0;
/** Core-seconds its short jobs got within the window. */
const FAST_SERVED = 1;
/**
 * 1 where its CPU limit is below the threads it may run at once (a proxy's workers): its limit is a CFS
 * quota per period (sim/processor-quota.ts), which the others can never exceed.
 */
const CAPPED = 2;
/**
 * Its current group on its current node, as node x GROUPS_PER_NODE + group (-1 before its first job):
 * a start reads it from the row its offer and its short-job test have just read.
 */
const GROUP_AT = 3;
const C_STRIDE = 4;
// A node's fields in NodeCpu's `row` (N_STRIDE numbers each, 64 bytes: a cache line's worth, across two
// lines where the array does not start on one; starting it on one measured no gain, docs/scale.md): what
// a hop's or an application's CPU reads and writes on its node, where an array each took a miss each.
const SLICE = 0;
const CORES = 1;
/** Its processor's demand (Processor.shareDemand keeps it). */
const DEMAND = 2;
/** Short jobs holding a core, their end times in fastEnd[FAST_BASE, + FAST_N). */
const FAST_N = 3;
const FAST_BASE = 4;
/** Short jobs the processor's cores were last reduced by (-1: look again). */
const APPLIED = 5;
/** Core-seconds short jobs got within the window (by container: FAST_SERVED). */
const FAST_BUSY = 6;
/** Core-seconds of work reaching its containers within the measured window: its offered CPU. */
const OFFERED = 7;
const N_STRIDE = 8;
/**
 * Groups a node's processor may make (one per container that ever ran there): payloads of the shared
 * completion handler are node x this + group, exact in a double for 2^33 nodes.
 */
const GROUPS_PER_NODE = 2 ** 20;

export class NodeCpu {
  readonly cpus: Processor[];
  /** Every node's fields, N_STRIDE numbers each (see the constants). */
  private readonly row: Float64Array;
  private readonly weight: Float64Array;
  private readonly limit: Float64Array;
  /** Every group made, by (node, group): the container it serves. */
  private owners: Int32Array[];
  private readonly nProxies: number;
  /**
   * Per container, interleaved (C_STRIDE numbers each, 32 bytes): the fields a hop's or an application's
   * CPU reads and writes together, one cache miss where an array each of hundreds of thousands of
   * containers took one each.
   */
  private readonly box: Float64Array;
  private readonly cal: Calendar;
  private readonly warmup: number;
  private readonly duration: number;
  /** End times of the short jobs holding a core, each node's from its FAST_BASE. */
  private readonly fastEnd: Float64Array;
  private readonly quotaPeriod: number;
  /** Each node's pending wake-up, -1 if none. */
  private readonly wake: Float64Array;
  private readonly wakeId: number;

  /** `onDone(token)` runs when a job started with that token has had all its CPU. */
  constructor(w: World, cal: Calendar, onDone: (token: number) => void) {
    this.nProxies = w.nProxies;
    this.cal = cal;
    this.warmup = w.scenario.simulation.warmup;
    this.duration = w.scenario.simulation.duration;
    const nodes = w.nodeCores.length;
    this.row = new Float64Array(nodes * N_STRIDE);
    let fastSlots = 0;
    for (let i = 0; i < nodes; i++) {
      const at = i * N_STRIDE;
      this.row[at + SLICE] = w.nodeSlice[i]!;
      this.row[at + CORES] = w.nodeCores[i]!;
      this.row[at + FAST_BASE] = fastSlots;
      fastSlots += Math.floor(w.nodeCores[i]!) + 1;
    }
    this.fastEnd = new Float64Array(fastSlots);
    const n = w.nProxies + w.nPods;
    this.box = new Float64Array(n * C_STRIDE);
    for (let c = 0; c < n; c++) this.box[c * C_STRIDE + GROUP_AT] = -1;
    this.weight = w.containerWeight;
    this.limit = w.containerLimit;
    // One calendar handler for every node's completions, the node in the payload's high part.
    const handler = cal.on((p) => {
      const node = Math.floor(p / GROUPS_PER_NODE);
      this.cpus[node]!.complete(p - node * GROUPS_PER_NODE);
    });
    // Room for a group per container placed on each node now, with its own numbers beside it, taken at
    // once: the arena does not grow (each doubling a new array the collector is pressed to reclaim) nor
    // a processor's block move as its containers first run.
    const expected = new Int32Array(nodes);
    for (let pod = 0; pod < w.nPods; pod++) if (w.podNode[pod]! >= 0) expected[w.podNode[pod]!]!++;
    for (let p = 0; p < w.nProxies; p++) if (w.proxyNode[p]! >= 0) expected[w.proxyNode[p]!]!++;
    const arena = new ProcessorArena(arenaNumbers(expected));
    this.cpus = Array.from(w.nodeCores, (cores, node) => {
      const cpu = new Processor(cal, cores, onDone, {
        timer: { handler, base: node * GROUPS_PER_NODE },
        arena,
        groups: expected[node]!,
      });
      cpu.quotaOrigin = w.nodeQuotaOrigin[node]!;
      cpu.shareDemand(this.row, node * N_STRIDE + DEMAND);
      return cpu;
    });
    this.quotaPeriod = w.quotaPeriod;
    this.owners = this.cpus.map(() => new Int32Array(4));
    for (let c = 0; c < n; c++) {
      const threads = c < w.nProxies ? w.proxyWorkers[c]! : Number.POSITIVE_INFINITY;
      this.box[c * C_STRIDE + CAPPED] = w.containerLimit[c]! < threads ? 1 : 0;
    }
    this.wake = new Float64Array(nodes).fill(-1);
    this.wakeId = cal.on((node) => this.woken(node));
  }

  /**
   * Runs `work` core-seconds of container `c` on `node` at once and to the end if it is shorter than the
   * node's time slice and a core is free for it (within the container's CPU limit); true when it does,
   * and then it is done at now + work with no event. False: run it with start().
   */
  fast(c: number, node: number, work: number): boolean {
    const R = this.row;
    const r = node * N_STRIDE;
    if (work > R[r + SLICE]!) return false;
    const now = this.cal.now;
    let n = R[r + FAST_N]!;
    if (n > 0) n = this.expire(node, now);
    if (R[r + DEMAND]! + n + 1 > R[r + CORES]!) return false;
    // A quota is counted by the processor, so all of such a container's CPU goes through it.
    const at = c * C_STRIDE;
    if (this.box[at + CAPPED] === 1) return false;
    this.fastEnd[R[r + FAST_BASE]! + n] = now + work;
    R[r + FAST_N] = n + 1;
    // Counted whole when it starts, as the processor counts what it serves until the calendar stops.
    if (now >= this.warmup) {
      this.box[at + FAST_SERVED]! += work;
      R[r + FAST_BUSY]! += work;
    }
    return true;
  }

  /** Drops the short jobs of `node` done by `now`; returns how many still hold a core. */
  private expire(node: number, now: number): number {
    const r = node * N_STRIDE;
    const base = this.row[r + FAST_BASE]!;
    let n = this.row[r + FAST_N]!;
    for (let i = base; i < base + n; ) {
      if (this.fastEnd[i]! <= now) {
        n--;
        this.fastEnd[i] = this.fastEnd[base + n]!;
      } else i++;
    }
    this.row[r + FAST_N] = n;
    return n;
  }

  /**
   * Before the processor of `node` takes a job: while its jobs fit beside the short jobs it keeps all the
   * node's cores (rates do not depend on them then); once they would not, it gets the cores the short
   * jobs leave, and a wake-up when the next of them ends gives that core back.
   */
  private sync(node: number, adding: number): void {
    const r = node * N_STRIDE;
    const n = this.row[r + FAST_N]! > 0 ? this.expire(node, this.cal.now) : 0;
    const cores = this.row[r + CORES]!;
    const want = this.row[r + DEMAND]! + adding + n > cores ? n : 0;
    if (want === this.row[r + APPLIED]) return;
    this.row[r + APPLIED] = want;
    // A node all of whose cores short jobs hold gives the others next to nothing until the first ends.
    this.cpus[node]!.setCores(Math.max(cores - want, cores * 1e-6));
    if (want > 0) this.wakeAt(node);
  }

  private wakeAt(node: number): void {
    const base = this.row[node * N_STRIDE + FAST_BASE]!;
    const end = base + this.row[node * N_STRIDE + FAST_N]!;
    let first = Number.POSITIVE_INFINITY;
    for (let i = base; i < end; i++) first = Math.min(first, this.fastEnd[i]!);
    if (this.wake[node]! >= 0) this.cal.cancel(this.wake[node]!);
    this.wake[node] = this.cal.scheduleAt(first, this.wakeId, node);
  }

  private woken(node: number): void {
    this.wake[node] = -1;
    this.row[node * N_STRIDE + APPLIED] = -1; // force a fresh look
    this.sync(node, 0);
  }

  /** Container id of the application in pod `pod` (a proxy's container id is its proxy index). */
  app(pod: number): number {
    return this.nProxies + pod;
  }

  /** Runs `work` core-seconds of container `c` on `node`; `token` comes back to onDone. */
  start(c: number, node: number, work: number, token: number): number {
    const x = this.box[c * C_STRIDE + GROUP_AT]! - node * GROUPS_PER_NODE;
    const g = x >= 0 && x < GROUPS_PER_NODE ? x : this.addGroup(c, node);
    this.sync(node, 1);
    return this.cpus[node]!.start(g, work, token);
  }

  /** `work` core-seconds for container `c` arrive at `node` (counted when the request reaches the
   * container, whether or not a worker is free to start it: the CPU the node is asked for). */
  offer(c: number, node: number, work: number): void {
    const now = this.cal.now;
    if (now >= this.warmup && now < this.duration) {
      this.row[node * N_STRIDE + OFFERED]! += work;
      this.box[c * C_STRIDE + OFFERED_BY]! += work;
    }
  }

  private addGroup(c: number, node: number): number {
    const cpu = this.cpus[node]!;
    const g = cpu.addGroup(
      this.weight[c]!,
      this.limit[c]!,
      this.box[c * C_STRIDE + CAPPED] === 1 ? this.quotaPeriod : 0,
    );
    if (g >= GROUPS_PER_NODE) throw new RangeError(`NodeCpu: node ${node} made more than 2^20 groups`);
    if (g >= this.owners[node]!.length) this.owners[node] = grown(this.owners[node]!, 2 * g + 2);
    this.owners[node]![g] = c;
    this.box[c * C_STRIDE + GROUP_AT] = node * GROUPS_PER_NODE + g;
    return g;
  }

  /** The measured window starts. */
  resetStats(now: number): void {
    for (const cpu of this.cpus) cpu.resetStats(now);
    for (let at = FAST_SERVED; at < this.box.length; at += C_STRIDE) this.box[at] = 0;
    for (let at = FAST_BUSY; at < this.row.length; at += N_STRIDE) this.row[at] = 0;
  }

  /** Core-seconds of work that reached `node`'s containers within the window: its offered CPU. */
  offeredOn(node: number): number {
    return this.row[node * N_STRIDE + OFFERED]!;
  }

  /** Core-seconds short jobs got on `node` within the window (the processor counts the others). */
  fastBusyOn(node: number): number {
    return this.row[node * N_STRIDE + FAST_BUSY]!;
  }

  /** Core-seconds of work that reached each container within the window, whether or not its node gave it. */
  offeredByContainer(): Float64Array {
    const n = this.box.length / C_STRIDE;
    return Float64Array.from({ length: n }, (_, c) => this.box[c * C_STRIDE + OFFERED_BY]!);
  }

  /** CPU each container wanted and got over the measured window, summed over its groups. */
  usageByContainer(now: number): Usage {
    const n = this.box.length / C_STRIDE;
    const u: Usage = {
      wanted: new Float64Array(n),
      served: new Float64Array(n),
      throttled: new Float64Array(n),
      starved: new Float64Array(n),
    };
    for (let c = 0; c < n; c++) {
      u.served[c]! += this.box[c * C_STRIDE + FAST_SERVED]!;
      u.wanted[c]! += this.box[c * C_STRIDE + FAST_SERVED]!;
    }
    this.cpus.forEach((cpu, node) => {
      for (let g = 0; g < cpu.groups; g++) {
        const c = this.owners[node]![g]!;
        const x: GroupUsage = cpu.usage(g, now);
        u.wanted[c]! += x.wanted;
        u.served[c]! += x.served;
        u.throttled[c]! += x.throttled;
        u.starved[c]! += x.starved;
      }
    });
    return u;
  }
}

/** Core-seconds per container over the measured window (see Processor.usage). */
export interface Usage {
  wanted: Float64Array;
  served: Float64Array;
  throttled: Float64Array;
  starved: Float64Array;
}
