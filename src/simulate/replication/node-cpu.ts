// Every node is a processor with its allocatable cores (sim/processor.ts); every CPU demand of a
// replication runs on it: a proxy's per-request work (each worker thread one job at most), an
// application's CPU part of its service time. Each container is one processor group, weighed by the
// cpu.shares the kubelet gives it and capped by its CFS quota (src/cluster/cpu-shares.ts), so a busy
// application starves a sidecar with a small request and a CPU limit throttles whoever has one.
// Background CPU (idle proxies, node agents) is taken off the node's cores up front (world/node-cpu.ts).
//
// Containers are numbered proxies first (0..P-1), then application pods (P + pod). A pod that moves to
// another node gets a new group there; the groups of a container are summed when measured.
import { type Calendar, type GroupUsage, Processor } from '../../../sim/index.ts';
import { grown } from '../grown.ts';
import type { World } from '../world/index.ts';

export class NodeCpu {
  readonly cpus: Processor[];
  /** Current group of each container on its current node, -1 before its first job. */
  private group: Int32Array;
  private groupNode: Int32Array;
  private readonly weight: Float64Array;
  private readonly limit: Float64Array;
  /** Every group made, by (node, group): the container it serves. */
  private owners: Int32Array[];
  private readonly nProxies: number;
  /** Core-seconds of work reaching each node's containers within the measured window: its offered CPU. */
  readonly offered: Float64Array;
  /** The same work by container: the CPU each asked for, whether or not its node could give it. */
  readonly offeredBy: Float64Array;
  private readonly cal: Calendar;
  private readonly warmup: number;
  private readonly duration: number;

  /** `onDone(token)` runs when a job started with that token has had all its CPU. */
  constructor(w: World, cal: Calendar, onDone: (token: number) => void) {
    this.nProxies = w.nProxies;
    this.cal = cal;
    this.warmup = w.scenario.simulation.warmup;
    this.duration = w.scenario.simulation.duration;
    this.offered = new Float64Array(w.nodeCores.length);
    const n = w.nProxies + w.nPods;
    this.offeredBy = new Float64Array(n);
    this.group = new Int32Array(n).fill(-1);
    this.groupNode = new Int32Array(n).fill(-1);
    this.weight = w.containerWeight;
    this.limit = w.containerLimit;
    this.cpus = Array.from(w.nodeCores, (cores) => new Processor(cal, cores, onDone));
    this.owners = this.cpus.map(() => new Int32Array(4));
  }

  /** Container id of proxy `p` and of the application in pod `pod`. */
  proxy(p: number): number {
    return p;
  }
  app(pod: number): number {
    return this.nProxies + pod;
  }

  /** Runs `work` core-seconds of container `c` on `node`; `token` comes back to onDone. */
  start(c: number, node: number, work: number, token: number): number {
    let g = this.group[c]!;
    if (g < 0 || this.groupNode[c] !== node) g = this.addGroup(c, node);
    return this.cpus[node]!.start(g, work, token);
  }

  /** `work` core-seconds for container `c` arrive at `node` (counted when the request reaches the
   * container, whether or not a worker is free to start it: the CPU the node is asked for). */
  offer(c: number, node: number, work: number): void {
    const now = this.cal.now;
    if (now >= this.warmup && now < this.duration) {
      this.offered[node]! += work;
      this.offeredBy[c]! += work;
    }
  }

  private addGroup(c: number, node: number): number {
    const cpu = this.cpus[node]!;
    const g = cpu.addGroup(this.weight[c]!, this.limit[c]!);
    if (g >= this.owners[node]!.length) this.owners[node] = grown(this.owners[node]!, 2 * g + 2);
    this.owners[node]![g] = c;
    this.group[c] = g;
    this.groupNode[c] = node;
    return g;
  }

  /** The measured window starts. */
  resetStats(now: number): void {
    for (const cpu of this.cpus) cpu.resetStats(now);
  }

  /** CPU each container wanted and got over the measured window, summed over its groups. */
  usageByContainer(now: number): Usage {
    const n = this.group.length;
    const u: Usage = {
      wanted: new Float64Array(n),
      served: new Float64Array(n),
      throttled: new Float64Array(n),
      starved: new Float64Array(n),
    };
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
