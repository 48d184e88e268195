// What the retrier of a failed attempt sees (retries.ts decides from it): part of the request path,
// reading the call table, the pods and the proxies. Where a call failed is its step (the number of steps:
// the callee's pod); CallTable.doomed holds that position + 1 for a call something died under.
import type { CallTable } from '../calls.ts';
import type { World } from '../world/index.ts';
import * as kinds from './kinds.ts';
import type { Pods } from './pods.ts';
import type { Proxies } from './proxies.ts';
import * as retry from './retries.ts';

const ON_THE_WAY_IN = kinds.ON_THE_WAY_IN;
const DST_POD = kinds.DST_POD;
const BEFORE_SEND = retry.BEFORE_SEND;
const AFTER_SEND = retry.AFTER_SEND;
const STATUS_503 = retry.STATUS_503;

export class Failures {
  private readonly w: World;
  private readonly calls: CallTable;
  private readonly pods: Pods;
  private readonly proxies: Proxies;

  constructor(w: World, calls: CallTable, pods: Pods, proxies: Proxies) {
    this.w = w;
    this.calls = calls;
    this.pods = pods;
    this.proxies = proxies;
  }

  /**
   * A doomed call: a reset if its request had passed the point that died (a proxy it crossed, or its
   * pod once it got there), else a refused connection when it reaches that point.
   */
  doomedSeen(id: number): number {
    const k = this.calls;
    const at = k.doomed[id]! - 1;
    const n = this.w.templates[k.template[id]!]!.steps.length;
    const sent = at < n ? k.step[id]! > at : k.phase[id] !== ON_THE_WAY_IN;
    return sent ? AFTER_SEND : BEFORE_SEND;
  }

  /**
   * The callee's pod refused the connection. When only its application is down (its generation alive)
   * and its sidecar runs, the sidecar answers 503 instead (an upstream connect failure, 503 UF), which
   * the caller's Envoy sees as a response; otherwise the whole pod is gone and the connection is refused.
   */
  refusalSeen(id: number): number {
    const k = this.calls;
    const dst = k.dst[id]!;
    const steps = this.w.templates[k.template[id]!]!.steps;
    const n = steps.length;
    const sidecar = n > 0 && steps[n - 1]!.attach === DST_POD ? this.w.podProxy[dst]! : -1;
    const podAlive = k.dstGen[id]! >= this.pods.aliveFrom[dst]!;
    return sidecar >= 0 && podAlive && this.proxies.up[sidecar] === 1 ? STATUS_503 : BEFORE_SEND;
  }
}
