// Which condition set a row's node count: the one that fails with one node fewer (for an infeasible row,
// the one that still fails at the end).
import type { Quantile, Sample } from './sample.ts';

export type Constraint =
  /** Pods do not fit with the headroom kept free (CPU requests or the per-node pod limit). */
  | 'pods'
  /** Pods do not fit because of their memory requests. */
  | 'memory'
  /** The busiest node would use more than the CPU target. */
  | 'cpu-target'
  /** A latency SLO is not met. */
  | 'slo'
  /** A load generator fell behind (its node's CPU), so the planned load never reached the cluster. */
  | 'clients'
  /** Still unmet at --max-nodes. */
  | 'max-nodes'
  /** One node cannot hold the per-node DaemonSets. */
  | 'daemonsets'
  /** One node is enough: nothing binds. */
  | 'none';

export interface Binding {
  constraint: Constraint;
  /** The node count it was measured at: one fewer than the row's for a feasible row. */
  nodes: number | null;
  /**
   * The figure against its limit: pods that do not fit vs 0, busiest-node CPU / allocatable vs the
   * target, a latency in seconds vs its SLO, nodes vs --max-nodes.
   */
  value: number | null;
  limit: number | null;
  /** In words, e.g. `0/17 nodes are available: 17 Insufficient memory.` or `orders p99`. */
  detail: string;
}

/** The worst SLO of a sample: the highest value / target (met when <= 1). */
export function worstSlo(
  x: Sample,
): { entryPoint: string; quantile: Quantile; value: number; target: number; ratio: number } | null {
  let worst: ReturnType<typeof worstSlo> = null;
  for (const e of x.entryPoints) {
    for (const s of e.slo) {
      const ratio = s.target > 0 ? s.value / s.target : Number.POSITIVE_INFINITY;
      if (!worst || ratio > worst.ratio)
        worst = { entryPoint: e.name, quantile: s.quantile, value: s.value, target: s.target, ratio };
    }
  }
  return worst;
}

/**
 * The conditions only a simulation can judge: every latency SLO, and memory sized by max(request,
 * modelled use) on every node (src/cluster/memory-risk.ts). Both improve with more nodes.
 */
export function sloMet(x: Sample): boolean {
  return (
    x.memoryShortNodes === 0 &&
    x.entryPoints.every((e) => e.slo.every((s) => s.met) && (e.clientPace ?? 1) >= 1)
  );
}

/** The entry point whose load generators fell furthest behind, with 1 / pace (> 1), or null. */
function slowestClients(x: Sample): { entryPoint: string; ratio: number; pace: number } | null {
  let worst: ReturnType<typeof slowestClients> = null;
  for (const e of x.entryPoints) {
    const pace = e.clientPace ?? 1;
    if (pace < 1 && (!worst || pace < worst.pace))
      worst = { entryPoint: e.name, ratio: pace > 0 ? 1 / pace : Number.POSITIVE_INFINITY, pace };
  }
  return worst;
}

/** How far the worst simulated condition is from its limit (<= 1 when met). */
export function simulatedRatio(x: Sample): number {
  const slo = Math.max(worstSlo(x)?.ratio ?? 0, slowestClients(x)?.ratio ?? 0);
  return x.memoryShortNodes > 0 ? Math.max(slo, x.memoryExcess) : slo;
}

function clientsBehind(entryPoint: string): string {
  return `${entryPoint}: its load generators fell behind (less load than planned reached the cluster)`;
}

function memoryShort(x: Sample): string {
  return `${x.memoryShortNodes} nodes short of memory (max of request and use)`;
}

/** Every unmet SLO, for an infeasible row's reason. */
export function sloFailures(x: Sample): string[] {
  // Proxies that never serve explain every failed request first.
  const memory = (x.crashLoops ?? []).concat(x.memoryShortNodes > 0 ? [memoryShort(x)] : []);
  const clients = x.entryPoints.filter((e) => (e.clientPace ?? 1) < 1).map((e) => clientsBehind(e.name));
  return memory.concat(
    clients,
    x.entryPoints.flatMap((e) =>
      e.slo
        .filter((s) => !s.met)
        .map((s) => `${e.name} ${s.quantile} ${(s.value * 1e3).toFixed(2)} ms > SLO`),
    ),
  );
}

export function sloBinding(x: Sample, nodes: number): Binding {
  const w = worstSlo(x);
  if (x.memoryShortNodes > 0 && (!w || x.memoryExcess >= w.ratio))
    return { constraint: 'memory', nodes, value: x.memoryExcess, limit: 1, detail: memoryShort(x) };
  const c = slowestClients(x);
  if (c && (!w || c.ratio >= w.ratio))
    return { constraint: 'clients', nodes, value: c.pace, limit: 1, detail: clientsBehind(c.entryPoint) };
  if (!w) return { constraint: 'none', nodes, value: null, limit: null, detail: '' };
  return {
    constraint: 'slo',
    nodes,
    value: w.value,
    limit: w.target,
    detail: `${w.entryPoint} ${w.quantile}`,
  };
}

/** `pods` or `memory`, from kube-scheduler's reason for the first pod that does not fit. */
export function fitBinding(unschedulable: number, reason: string, nodes: number): Binding {
  const count = (what: string) => Number(new RegExp(`(\\d+) ${what}`).exec(reason)?.[1] ?? 0);
  const memory = count('Insufficient memory');
  const other = count('Insufficient cpu') + count('Too many pods');
  return {
    constraint: memory > other ? 'memory' : 'pods',
    nodes,
    value: unschedulable,
    limit: 0,
    detail: reason,
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const ms = (x: number) => `${(x * 1e3).toFixed(2)} ms`;

/** For the table: e.g. `CPU 74.2% > 70.0% at 28`, `orders p99 61.30 ms > 60.00 ms at 28`. */
export function describeBinding(b: Binding): string {
  const at = b.nodes === null ? '' : ` at ${b.nodes}`;
  switch (b.constraint) {
    case 'pods':
    case 'memory':
      return `${b.value} pods do not fit${b.constraint === 'memory' ? ' (memory)' : ''}${at}`;
    case 'cpu-target':
      return `busiest node CPU ${pct(b.value!)} > ${pct(b.limit!)}${at}`;
    case 'slo':
      return `${b.detail} ${ms(b.value!)} > ${ms(b.limit!)}${at}`;
    case 'clients':
      return `${b.detail}: they got ${pct(b.value!)} of the pace they needed${at}`;
    case 'max-nodes':
      return `unmet at --max-nodes ${b.limit}: ${b.detail}`;
    case 'daemonsets':
      return b.detail;
    case 'none':
      return 'one node is enough';
  }
}
