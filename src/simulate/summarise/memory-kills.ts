// Proxies killed for memory: those that never run because their configuration alone exceeds their
// memory limit (world/memory.ts), and those that connections pushed over it during the run
// (replication/oom-kills.ts), gathered by component rather than listed per pod (a mesh of thousands has
// thousands of them).
import type { Component, Placement } from '../../cluster/index.ts';
import { proxyClasses } from '../../mesh/index.ts';
import type { Scenario } from '../../scenario/index.ts';
import { serviceIndexOf } from '../world/build.ts';
import type { World } from '../world/index.ts';
import { memoryTables } from '../world/memory.ts';
import { podTables } from '../world/proxies.ts';
import type { RepMeasure } from './measure.ts';

export interface CrashLoop {
  component: Component;
  /** Containers in CrashLoopBackOff from the start. */
  containers: number;
  /** Bytes the largest of them needs before any connection, and the lowest of their limits. */
  configMemory: number;
  limit: number;
}

/** The crash loops of a placement without building the rest of its world (`meshsim check`). */
export function crashLoopsOf(s: Scenario, placement: Placement): CrashLoop[] {
  const pt = podTables(placement, serviceIndexOf(s));
  const classes = proxyClasses(s.mesh);
  return crashLoops({ ...pt, ...memoryTables(s, placement, pt, classes), classes });
}

type CrashLoopTables = Pick<
  World,
  'nProxies' | 'proxyClass' | 'classes' | 'proxyCrashLoop' | 'proxyStartMemory' | 'proxyMemoryLimit'
>;

export function crashLoops(w: CrashLoopTables): CrashLoop[] {
  const by = new Map<Component, CrashLoop>();
  for (let p = 0; p < w.nProxies; p++) {
    if (w.proxyCrashLoop[p] !== 1) continue;
    const component = w.classes[w.proxyClass[p]!]!.component;
    const x = by.get(component) ?? {
      component,
      containers: 0,
      configMemory: 0,
      limit: Number.POSITIVE_INFINITY,
    };
    x.containers++;
    x.configMemory = Math.max(x.configMemory, w.proxyStartMemory[p]!);
    x.limit = Math.min(x.limit, w.proxyMemoryLimit[p]!);
    by.set(component, x);
  }
  return [...by.values()];
}

const mib = (b: number) => `${Math.round(b / 2 ** 20)}Mi`;

/** One line: how many, what they need against what they may use. */
export function describeCrashLoop(x: CrashLoop): string {
  const n = x.containers;
  return `crash loop: ${n} ${x.component} container${n === 1 ? '' : 's'} need${n === 1 ? 's' : ''} up to ${mib(x.configMemory)} for configuration, above a ${mib(x.limit)} memory limit`;
}

export function crashLoopWarning(x: CrashLoop): string {
  return `${describeCrashLoop(x)}: OOM-killed while loading it and restarted with back-off (CrashLoopBackOff), never serving, with pods never ready (scope what each proxy sees, e.g. mesh.sidecar.scope, or raise the limit)`;
}

/** OOM kills within the window, by component: means over replications. */
export interface OomKillResult {
  component: Component;
  /** Containers killed at least once. */
  containers: number;
  kills: number;
}

export function oomKills(reps: RepMeasure[]): OomKillResult[] {
  const by = new Map<Component, OomKillResult>();
  for (const r of reps) {
    for (const x of r.oomKills) {
      const y = by.get(x.component) ?? { component: x.component, containers: 0, kills: 0 };
      y.containers += x.containers / reps.length;
      y.kills += x.kills / reps.length;
      by.set(x.component, y);
    }
  }
  return [...by.values()].sort((a, b) => a.component.localeCompare(b.component));
}

export function oomKillWarning(x: OomKillResult): string {
  const f = (v: number) => (Number.isInteger(v) ? `${v}` : v.toFixed(1));
  // Means over replications: "2 sidecar containers killed 5 times" (a count of kills "of" containers read
  // as a share of them).
  const times = x.kills === 1 ? 'once' : `${f(x.kills)} times`;
  const containers = `${f(x.containers)} ${x.component} container${x.containers === 1 ? '' : 's'}`;
  return `OOM kills: ${containers} killed ${times} in the window: their connections pushed their memory past its limit; each kill reset its connections and the kubelet restarted it with back-off (raise the limit, or cap its connections)`;
}

/** Pods evicted under node memory pressure (events/node-pressure.ts), means over replications. */
export function evictionWarning(x: { pods: number; nodes: number }): string {
  const f = (v: number) => (Number.isInteger(v) ? `${v}` : v.toFixed(1));
  return `memory pressure: the kubelets evicted ${f(x.pods)} pod${x.pods === 1 ? '' : 's'} from ${f(x.nodes)} node${x.nodes === 1 ? '' : 's'} in the window: their pods use more memory than the scheduler packed the nodes by (their requests); each eviction killed a pod at once, and its ReplicaSet replaced it on a node with room or left it Pending (raise the memory requests of what uses more, such as sidecars holding a large configuration, or scope that configuration)`;
}
