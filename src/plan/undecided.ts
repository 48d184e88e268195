// The verdicts a row rests on that its replications did not settle: a figure whose 95 % interval (Student t
// over replications) still holds its limit. The search judges on the mean, as it must decide something;
// the row says where that mean could fall on the other side with more replications. Early stopping
// (early-stop.ts) ends a candidate's replications once nothing is left here, so only candidates that
// ran all the scenario's replications can show any.
import type { Binding } from './binding.ts';
import type { Sample } from './sample.ts';

export interface Undecided {
  constraint: 'slo' | 'cpu-target';
  /** The node count it was judged at: the row's, or one fewer for the binding constraint. */
  nodes: number;
  /** `search p99`, or `busiest node` for the CPU target. */
  detail: string;
  value: number;
  /** 95 % half-width of `value` over the replications. */
  half: number;
  limit: number;
}

const spans = (value: number, half: number, limit: number) =>
  Number.isFinite(value) && half > 0 && value - half <= limit && limit <= value + half;

/** Each SLO of `x` (simulated at `nodes`) whose interval holds its target. */
function sloVerdicts(x: Sample, nodes: number, only?: string): Undecided[] {
  const out: Undecided[] = [];
  for (const e of x.entryPoints) {
    for (const s of e.slo) {
      const detail = `${e.name} ${s.quantile}`;
      if (only !== undefined && detail !== only) continue;
      const half = s.half ?? 0;
      if (spans(s.value, half, s.target))
        out.push({ constraint: 'slo', nodes, detail, value: s.value, half, limit: s.target });
    }
  }
  return out;
}

/**
 * The busiest node's planned CPU against the target, its usage taken within the interval of the total CPU
 * the simulation used (as early-stop.ts judges it).
 */
function cpuVerdict(x: Sample, nodes: number, planned: number, target: number): Undecided[] {
  const half = planned * (x.cpuRel ?? 0);
  return spans(planned, half, target)
    ? [{ constraint: 'cpu-target', nodes, detail: 'busiest node', value: planned, half, limit: target }]
    : [];
}

/**
 * What a feasible row of `nodes` rests on and its replications left open: every SLO and the CPU target at
 * `nodes` (sample `x`), and the binding constraint at one node fewer (`prev`, its sample when that count
 * was simulated; `plannedBelow`, the busiest node's planned CPU there).
 */
export function undecided(
  x: Sample,
  nodes: number,
  planned: number,
  target: number,
  binding: Binding,
  prev: Sample | undefined,
): Undecided[] {
  const out = [...sloVerdicts(x, nodes), ...cpuVerdict(x, nodes, planned, target)];
  if (binding.nodes === null || binding.value === null) return out;
  if (binding.constraint === 'slo' && prev) out.push(...sloVerdicts(prev, binding.nodes, binding.detail));
  if (binding.constraint === 'cpu-target')
    out.push(...cpuVerdict(prev ?? x, binding.nodes, binding.value, target));
  return out;
}

const figure = (u: Undecided) =>
  u.constraint === 'slo'
    ? `${(u.value * 1e3).toFixed(2)} ± ${(u.half * 1e3).toFixed(2)} ms against ${(u.limit * 1e3).toFixed(2)} ms`
    : `${(u.value * 100).toFixed(1)} ± ${(u.half * 100).toFixed(1)} % against ${(u.limit * 100).toFixed(1)} %`;

/** For the table: `search p99 36.87 ± 41.20 ms against 60.00 ms at 72`. */
export function describeUndecided(u: Undecided): string {
  return `${u.detail} ${figure(u)} at ${u.nodes}`;
}
