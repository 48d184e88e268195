// Where a call's hops are: which proxy a hop step resolves to for a given caller, callee and waypoint
// (pods move and ztunnels are per node, so this is read at run time), the node it runs on, who terminates
// each segment, and the one-way network delay between two nodes.
import type { HopStep, World } from '../world/index.ts';
import * as kinds from './kinds.ts';

// Copied into module constants: an imported binding is re-read (with a hole check) on every access and
// cannot be folded into the hot lines below, a module constant can.
const SRC_POD = kinds.SRC_POD;
const SRC_NODE = kinds.SRC_NODE;
const POOL = kinds.POOL;
const DST_POD = kinds.DST_POD;
const GATEWAY = kinds.GATEWAY;

export class Hops {
  private readonly w: World;
  /** Where each pod runs now (shared with Pods.node: rescheduling moves pods). */
  private readonly podNode: Int32Array;
  private readonly nodeZone: Int32Array;
  private readonly sameNode: number;
  private readonly sameZone: number;
  private readonly crossZone: number;

  constructor(w: World, podNode: Int32Array) {
    this.w = w;
    this.podNode = podNode;
    this.nodeZone = w.nodeZone;
    this.sameNode = w.delay[0]!;
    this.sameZone = w.delay[1]!;
    this.crossZone = w.delay[2]!;
  }

  /** The proxy of hop `st` on a call from `src` to `dst` through waypoint `wp` and ingress gateway `gw`. */
  resolve(st: HopStep, src: number, dst: number, wp: number, gw = -1): number {
    const w = this.w;
    switch (st.attach) {
      case SRC_POD:
        return w.podProxy[src]!;
      case SRC_NODE:
        return w.ztunnelOfNode[this.podNode[src]!]!;
      case POOL:
        return w.podProxy[wp]!;
      case DST_POD:
        return w.podProxy[dst]!;
      case GATEWAY:
        return w.podProxy[gw]!;
      default:
        return w.ztunnelOfNode[this.podNode[dst]!]!;
    }
  }

  /** The node hop `st` runs on. */
  stepNode(st: HopStep, src: number, dst: number, wp: number, gw = -1): number {
    if (st.attach === SRC_POD || st.attach === SRC_NODE) return this.podNode[src]!;
    if (st.attach === POOL) return this.podNode[wp]!;
    if (st.attach === GATEWAY) return this.podNode[gw]!;
    return this.podNode[dst]!;
  }

  /** Who terminates segment `s` of template `tpl`: a proxy id, or nProxies + pod for the application. */
  terminator(tpl: number, s: number, src: number, dst: number, wp: number, gw = -1): number {
    const steps = this.w.templates[tpl]!.steps;
    if (s < steps.length) return this.resolve(steps[s]!, src, dst, wp, gw);
    return this.w.nProxies + dst;
  }

  /** One-way network delay between nodes `a` and `b`. */
  delay(a: number, b: number): number {
    if (a === b) return this.sameNode;
    return this.nodeZone[a] === this.nodeZone[b] ? this.sameZone : this.crossZone;
  }

  /** Whether a link between nodes `a` and `b` crosses zones. */
  crossesZones(a: number, b: number): boolean {
    return this.nodeZone[a] !== this.nodeZone[b];
  }
}
