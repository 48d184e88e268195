// The applications in the pods: each pod's worker pool (a FIFO queue over `concurrency` workers), its
// service time and how many calls it makes downstream per request.

import {
  type Calendar,
  lognormalParams,
  lognormalSample,
  type RandomStreams,
  ServerBank,
} from '../../../sim/index.ts';
import { startsLater } from '../../cluster/index.ts';
import { grown } from '../grown.ts';
import type { World } from '../world/index.ts';
import { KeyedRng } from './keyed-random.ts';

export const CALL_COUNT = 0;
export const CALL_PARALLEL = 1;
export const CALL_EDGE = 2;
export const CALL_STRIDE = 3;

export class Applications {
  /** The worker queue of each pod (no workers: not an application, or not placed). */
  readonly queues: ServerBank;
  /** CPU seconds each application pod was given to run after the warm-up (demanded, not yet served). */
  readonly cpu: Float64Array;
  /** CPU seconds each application pod used since the run began (what its autoscaler's metrics read). */
  readonly used: Float64Array;
  /** Scratch: call counts drawn for one parallel group (issuing never re-enters the drawing). */
  readonly counts: Int32Array;
  /**
   * The calls of every behaviour packed in one array, CALL_STRIDE numbers each (count, parallel 0/1, edge
   * id); behaviour b's are entries [callStart[b], callStart[b + 1]). A request walks its behaviour's
   * calls on every visit (48 of them for a fan-out like scenarios/huge.yaml's): as objects each is a
   * cache miss on a large cluster, here they share a line or two.
   */
  readonly callTable: Float64Array;
  readonly callStart: Int32Array;
  /** The CPU and waiting (I/O, sleeps) parts of the request each call brings to its pod. */
  cpuOf = new Float64Array(256);
  wait = new Float64Array(256);
  private readonly w: World;
  /** Keyed by the call (keyed-random.ts): a request's service time is the same in every architecture. */
  private readonly serviceRng: KeyedRng;
  private readonly countRng: KeyedRng;
  /**
   * Per behaviour, (mu, sigma) of its service time when that is a lognormal (NaN, NaN otherwise), and per
   * service its CPU fraction: read here, a request's draw does not wait on its behaviour's object, then
   * its distribution's, then the boxed numbers in it (three dependent cache misses on a large cluster).
   */
  private readonly lognormal: Float64Array;
  private readonly cpuFraction: Float64Array;

  /** `onGrant` runs when a queued call gets a worker. */
  constructor(w: World, cal: Calendar, streams: RandomStreams, onGrant: (call: number) => void) {
    this.w = w;
    this.cpu = new Float64Array(w.nPods);
    this.used = new Float64Array(w.nPods);
    const workers = new Int32Array(w.nPods);
    for (let pod = 0; pod < w.nPods; pod++) {
      const svc = w.podService[pod]!;
      if (svc >= 0 && (w.podNode[pod]! >= 0 || startsLater(w.placement.pods[pod]!)))
        workers[pod] = w.services[svc]!.concurrency;
    }
    this.queues = new ServerBank(cal, workers, (_, call) => onGrant(call));
    this.serviceRng = new KeyedRng(streams, 'service-time');
    this.countRng = new KeyedRng(streams, 'call-count');
    this.counts = new Int32Array(w.behaviours.reduce((m, x) => Math.max(m, x.edgeList.length), 1));
    this.callStart = new Int32Array(w.behaviours.length + 1);
    for (let b = 0; b < w.behaviours.length; b++)
      this.callStart[b + 1] = this.callStart[b]! + w.behaviours[b]!.edgeList.length;
    this.lognormal = new Float64Array(2 * w.behaviours.length).fill(Number.NaN);
    w.behaviours.forEach((b, i) => {
      const ln = lognormalParams(b.serviceTime);
      if (ln) this.lognormal.set([ln.mu, ln.sigma], 2 * i);
    });
    this.cpuFraction = Float64Array.from(w.services, (svc) => svc.cpuFraction);
    this.callTable = new Float64Array(this.callStart[w.behaviours.length]! * CALL_STRIDE);
    for (let b = 0; b < w.behaviours.length; b++) {
      w.behaviours[b]!.edgeList.forEach((e, i) => {
        const at = (this.callStart[b]! + i) * CALL_STRIDE;
        this.callTable[at + CALL_COUNT] = e.count;
        this.callTable[at + CALL_PARALLEL] = e.parallel ? 1 : 0;
        this.callTable[at + CALL_EDGE] = e.id;
      });
    }
  }

  /**
   * On-CPU time of attempt `attempt` of the call with key `key` to the application in `pod`, doing
   * behaviour `behaviour` (w.behaviours: its route or version; by default the service's own).
   */
  serviceTime(pod: number, key: number, attempt: number, behaviour = this.w.podService[pod]!): number {
    const rng = this.serviceRng.at(key, attempt);
    const mu = this.lognormal[2 * behaviour]!;
    if (!Number.isNaN(mu)) return Math.max(0, lognormalSample(mu, this.lognormal[2 * behaviour + 1]!, rng));
    return Math.max(0, this.w.behaviours[behaviour]!.serviceTime.sample(rng));
  }

  /**
   * Attempt `attempt` of call `id` (key `key`) reaches the application in `pod` to do `behaviour`: draws
   * its service time, keeps its CPU and waiting parts, returns the CPU part.
   */
  draw(id: number, pod: number, key: number, attempt: number, behaviour = this.w.podService[pod]!): number {
    const t = this.serviceTime(pod, key, attempt, behaviour);
    const cpu = t * this.cpuFraction[this.w.podService[pod]!]!;
    if (id >= this.wait.length) {
      const n = Math.max(2 * this.wait.length, id + 1);
      this.wait = grown(this.wait, n);
      this.cpuOf = grown(this.cpuOf, n);
    }
    this.cpuOf[id] = cpu;
    this.wait[id] = t - cpu;
    return cpu;
  }

  /**
   * Draws the counts of callTable entries [from, to) into `counts` (from index 0) for attempt `attempt`
   * of the call with key `key`; returns their sum.
   */
  drawCounts(from: number, to: number, key: number, attempt: number): number {
    const T = this.callTable;
    let sum = 0;
    for (let i = from; i < to; i++) {
      const at = i * CALL_STRIDE;
      const c = this.drawCount(T[at + CALL_COUNT]!, T[at + CALL_EDGE]!, key, attempt);
      this.counts[i - from] = c;
      sum += c;
    }
    return sum;
  }

  /**
   * Calls over edge `edge` (`count` per request on average) one request makes: the integer part, plus
   * one with the fractional part's chance.
   */
  drawCount(count: number, edge: number, key: number, attempt: number): number {
    const whole = Math.floor(count);
    const frac = count - whole;
    return frac > 0 && this.countRng.at(key, attempt * 65536 + edge).next() < frac ? whole + 1 : whole;
  }
}
