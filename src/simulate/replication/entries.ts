// Entry points: open-loop arrivals and closed-loop connections' sends, each issuing a root call once its
// load generator's CPU has produced it (client-cpu.ts); a root call's return lets its closed-loop
// connection go again. Called by the state machine (request-path.ts) and, for the client's CPU jobs, by
// the replication's node processors.
import type { Calendar } from '../../../sim/index.ts';
import type { CallTable } from '../calls.ts';
import type { World } from '../world/index.ts';
import type { Arrivals } from './arrivals.ts';
import { ClientCpu } from './client-cpu.ts';
import type { ClosedLoops } from './closed-loop.ts';
import { CLIENT_CPU } from './kinds.ts';
import type { NodeCpu } from './node-cpu.ts';
import type { Handlers, Parts } from './parts.ts';
import type { Pods } from './pods.ts';
import type { Recorder } from './recorder.ts';

/** Issues a root call on entry edge `edge` from pod `src`; returns its call id. */
export type IssueRoot = (edge: number, src: number, measured: boolean, key: number) => number;

export class Entries {
  private readonly w: World;
  private readonly cal: Calendar;
  private readonly arrivals: Arrivals;
  private readonly loops: ClosedLoops;
  private readonly rec: Recorder;
  private readonly calls: CallTable;
  private readonly cpu: NodeCpu;
  private readonly pods: Pods;
  /** The load generators' CPU and the requests it is producing. */
  readonly client: ClientCpu;
  private readonly on: Handlers;
  private readonly issue: IssueRoot;
  private readonly warmup: number;
  private readonly duration: number;

  constructor(p: Parts, on: Handlers, issue: IssueRoot) {
    this.w = p.w;
    this.cal = p.cal;
    this.arrivals = p.arrivals;
    this.loops = p.loops;
    this.rec = p.recorder;
    this.calls = p.calls;
    this.cpu = p.cpu;
    this.pods = p.pods;
    this.client = new ClientCpu(p.w);
    this.on = on;
    this.issue = issue;
    this.warmup = p.w.scenario.simulation.warmup;
    this.duration = p.w.scenario.simulation.duration;
  }

  arrive(i: number): void {
    const now = this.cal.now;
    const measured = now >= this.warmup;
    this.rec.arrival(i, measured, now);
    const key = this.arrivals.key(i);
    const src = this.arrivals.client(i);
    // No load generator could be scheduled: the request is offered and fails at once.
    if (src < 0) this.rec.refused(i, measured, now);
    else this.generate(this.client.begin(i, -1, src, now, key));
    const next = now + this.arrivals.gapAfter(i, now);
    if (next < this.duration) this.cal.postAt(next, this.on.arrive, i);
  }

  /** Closed-loop connection `c` sends its next request (closed-loop.ts paces it). */
  send(c: number): void {
    const now = this.cal.now;
    const i = this.loops.entry[c]!;
    const measured = now >= this.warmup;
    this.rec.arrival(i, measured, now);
    const src = this.loops.client[c]!;
    // No load generator could be scheduled: the connection's first request fails and it sends no more.
    if (src < 0) this.rec.refused(i, measured, now);
    else this.generate(this.client.begin(i, c, src, now, this.arrivals.key(i)));
  }

  /**
   * The load generator spends the request's CPU (an open loop's once a thread is free for it). Wanted as
   * soon as it is planned, backlog or not: wanted above used is a client falling behind.
   */
  private generate(slot: number): void {
    const cl = this.client;
    this.offer(cl.src[slot]!, cl.work[cl.entry[slot]!]!);
    if (cl.loop[slot]! < 0 && !cl.admit(slot)) return;
    this.produce(slot);
  }

  /** A thread of the load generator runs the request's CPU on its node; it leaves when that is done. */
  private produce(slot: number): void {
    const after = this.run(this.client.src[slot]!, this.client.work[this.client.entry[slot]!]!, slot);
    if (after === 0) this.leave(slot);
    else if (after > 0) this.cal.post(after, this.on.leave, slot);
  }

  /**
   * Runs `work` core-seconds of pod `src`'s container: seconds until done when it ran at once, else -1
   * (the node processor runs it; onDone(slot x 4 + CLIENT_CPU) when done).
   */
  private run(src: number, work: number, slot: number): number {
    const node = this.pods.node[src]!;
    // A pod with no node (never placed) has no CPU to spend: its request leaves at once.
    if (work <= 0 || node < 0) return 0;
    const c = this.cpu.app(src);
    if (this.cpu.fast(c, node, work)) return work;
    this.cpu.start(c, node, work, slot * 4 + CLIENT_CPU);
    return -1;
  }

  private offer(src: number, work: number): void {
    const node = this.pods.node[src]!;
    if (work > 0 && node >= 0) this.cpu.offer(this.cpu.app(src), node, work);
  }

  /** A load generator's CPU job (token = slot x 4 + CLIENT_CPU) is done: its request leaves. */
  cpuDone(token: number): void {
    const slot = token >>> 2;
    if (slot > 0) this.leave(slot);
  }

  /** The request in `slot` leaves its client; its latency counts from when it was meant to be sent. */
  leave(slot: number): void {
    const cl = this.client;
    const i = cl.entry[slot]!;
    const src = cl.src[slot]!;
    const at = cl.at[slot]!;
    const loop = cl.loop[slot]!;
    const key = cl.key[slot]!;
    cl.end(slot);
    const id = this.issue(this.w.entryEdges[i]!, src, at >= this.warmup, key);
    this.calls.start[id] = at;
    if (this.calls.fresh[id] === 1 && cl.keptConnection[i]! > 0) {
      // Opening a kept connection: its CPU runs beside the requests (slot 0: nothing waits on it).
      this.offer(src, cl.keptConnection[i]!);
      this.run(src, cl.keptConnection[i]!, 0);
    }
    if (loop >= 0) this.loops.sent(loop, id);
    else {
      // The open-loop thread that produced it takes the next request of its pod's backlog.
      const next = cl.nextOf(src);
      if (next > 0) this.produce(next);
    }
  }

  /** A root call returned or was given up on: its closed-loop connection, if any, goes again. */
  returned(id: number): void {
    const c = this.loops.returned(id);
    if (c < 0) return;
    const next = this.loops.nextSend(c, this.cal.now);
    if (next < this.duration) this.cal.postAt(next, this.on.send, c);
  }
}
