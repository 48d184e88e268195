// Load generators are pods with a CPU budget: building, sending, receiving and recording a request costs
// their container CPU on their node (scenario EntryPoint.clientCpu), so a client whose CPU limit or node
// is saturated sends late. The request leaves once its CPU is done; its latency counts from the moment
// the tool meant to send it, the CPU included:
//   - open loop: from its arrival, the time the plan gave it, as wrk2 measures ("from the point in time
//     where a request was supposed to be sent per the plan", giltene/wrk2 README): a client that falls
//     behind shows its lateness in the latency instead of hiding it (no coordinated omission);
//   - closed loop: from the moment its connection starts the request, as fortio measures (fortio/fortio
//     periodic/periodic.go runOne, v1.69: fStart := time.Now(), then f.Run(), latency := time.Since(fStart)):
//     a slow client lowers the throughput, its own CPU time is inside the latency.
// The whole per-request cost is charged before the request leaves (the response's parsing and recording
// included): one CPU job per request, and the same bound, limit / cpuPerRequest requests per second.
// A client that opens a connection per request pays `perConnection` with each request; one that keeps its
// connections pays it when a request opens one, beside its requests (it delays later ones, not this one).
// An open-loop client's requests are produced by its pod's `threads` generator threads, each one request
// at a time in the order planned (wrk2 -t: a thread's event loop writes its requests in turn), so a client
// that falls behind works through a backlog first in, first out; a closed loop's connections each
// produce their own request (fortio runs a goroutine per connection).
// The client sends plain text: mTLS, where the mesh adds it, is its sidecar's or ztunnel's work.
import { grown } from '../grown.ts';
import { ConnType, type World } from '../world/index.ts';

export class ClientCpu {
  /** Core-seconds per request of each entry point (a per-request connection's opening included). */
  readonly work: Float64Array;
  /** Core-seconds to open one kept connection, per entry point (0 where every request opens its own). */
  readonly keptConnection: Float64Array;
  // Requests being generated, by slot (slot 0 is a kept connection's opening, which nothing waits on).
  entry = new Int32Array(64);
  /** The closed-loop connection sending it, -1 for an open-loop arrival. */
  loop = new Int32Array(64);
  src = new Int32Array(64);
  /** When the tool meant to send it: its latency counts from there. */
  at = new Float64Array(64);
  key = new Float64Array(64);
  /** Measured requests of each entry point still waiting for their client's CPU (in flight, not sent). */
  readonly pending: Int32Array;
  private readonly warmup: number;
  private free: number[] = [];
  /** Open-loop requests each client pod's threads are producing, and its backlog (a FIFO of slots). */
  private readonly busy: Int32Array;
  private readonly head: Int32Array;
  private readonly tail: Int32Array;
  private after = new Int32Array(64);
  private readonly threads: Int32Array;
  private nextSlot = 1;

  constructor(w: World) {
    const traffic = w.scenario.traffic;
    this.pending = new Int32Array(traffic.length);
    this.warmup = w.scenario.simulation.warmup;
    this.busy = new Int32Array(w.nPods);
    this.head = new Int32Array(w.nPods);
    this.tail = new Int32Array(w.nPods);
    this.threads = Int32Array.from(traffic, (ep) => ep.clientCpu.threads);
    this.work = Float64Array.from(traffic, (ep, i) => {
      const perRequest = w.edges[w.entryEdges[i]!]!.connType === ConnType.PerRequest;
      return ep.clientCpu.perRequest + (perRequest ? ep.clientCpu.perConnection : 0);
    });
    this.keptConnection = Float64Array.from(traffic, (ep, i) =>
      w.edges[w.entryEdges[i]!]!.connType === ConnType.PerRequest ? 0 : ep.clientCpu.perConnection,
    );
  }

  /**
   * Request `key` of entry point `i` (closed-loop connection `loop`, -1 if open) is to be sent by pod
   * `src`, meant for `at` (now): its slot (its CPU is wanted from now: entries.ts offers it).
   */
  begin(i: number, loop: number, src: number, at: number, key: number): number {
    const slot = this.free.pop() ?? this.take();
    this.entry[slot] = i;
    this.loop[slot] = loop;
    this.src[slot] = src;
    this.at[slot] = at;
    this.key[slot] = key;
    if (at >= this.warmup) this.pending[i]!++;
    return slot;
  }

  /**
   * True when a thread of the client pod takes the open-loop request in `slot` now; false: it waits in
   * the pod's backlog until nextOf() hands it on.
   */
  admit(slot: number): boolean {
    const pod = this.src[slot]!;
    if (this.busy[pod]! < this.threads[this.entry[slot]!]!) {
      this.busy[pod]!++;
      return true;
    }
    this.after[slot] = 0;
    if (this.head[pod] === 0) this.head[pod] = slot;
    else this.after[this.tail[pod]!] = slot;
    this.tail[pod] = slot;
    return false;
  }

  /** A thread of client pod `pod` is free: the next request of its backlog it takes, 0 if none. */
  nextOf(pod: number): number {
    const slot = this.head[pod]!;
    if (slot === 0) {
      this.busy[pod]!--;
      return 0;
    }
    this.head[pod] = this.after[slot]!;
    return slot;
  }

  /** The request in `slot` leaves: the slot is free again (read its fields first). */
  end(slot: number): void {
    if (this.at[slot]! >= this.warmup) this.pending[this.entry[slot]!]!--;
    this.free.push(slot);
  }

  private take(): number {
    const slot = this.nextSlot++;
    if (slot >= this.entry.length) {
      const n = 2 * this.entry.length;
      this.entry = grown(this.entry, n);
      this.loop = grown(this.loop, n);
      this.src = grown(this.src, n);
      this.at = grown(this.at, n);
      this.key = grown(this.key, n);
      this.after = grown(this.after, n);
    }
    return slot;
  }
}
