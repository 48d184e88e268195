// What decided each plan point's node count, read from the plan file's `rows` (src/plan's PlanRow). A row's
// `binding` says it (`{ constraint, detail, ... }`, src/plan/binding.ts): the scheduler (pods or memory
// requests), or a simulated condition (the CPU target, a latency SLO, load generators that fell behind).
// Plan files older than that field are read by the rule of the planner of their time: it simulated first
// at the smallest count where every pod fits, so a point at its first simulated count was bound by the
// scheduler. A `binding` string is taken as it is.
import type { PlanInput } from './plan.ts';

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

export const BY_REQUESTS = 'requests (scheduling with headroom)';
export const BY_SIMULATION = 'simulation (CPU target or latency SLO)';
/** Every label of a count the simulation decided starts with this (the chart draws them hollow). */
export const SIMULATION_PREFIX = 'simulation';

/** The label of a structured binding (src/plan/binding.ts Constraint). */
function labelOf(b: Obj): string | undefined {
  const detail = typeof b.detail === 'string' && b.detail !== '' ? ` (${b.detail})` : '';
  switch (b.constraint) {
    case 'pods':
    case 'memory':
      return BY_REQUESTS;
    case 'cpu-target':
      return `${SIMULATION_PREFIX}: CPU target`;
    case 'slo':
      return `${SIMULATION_PREFIX}: latency SLO${detail}`;
    case 'clients':
      return `${SIMULATION_PREFIX}: load generators fell behind`;
    case 'none':
      return 'nothing (one node is enough)';
    default:
      return undefined;
  }
}

export function withBinding(plan: PlanInput[], file: unknown): PlanInput[] {
  const rows = isObj(file) && Array.isArray(file.rows) ? file.rows.filter(isObj) : [];
  return plan.map((p) => {
    // A plan point carries its row's binding (src/plan/rows.ts).
    const own: unknown = p.binding;
    if (isObj(own)) {
      const { binding: _, ...rest } = p;
      const label = labelOf(own);
      return label ? { ...rest, binding: label } : rest;
    }
    const r = rows.find(
      (x) => x.growth === p.growth && x.architecture === p.architecture && x.instanceType === p.instanceType,
    );
    if (!r) return p;
    if (typeof r.binding === 'string') return { ...p, binding: r.binding };
    const label = isObj(r.binding) ? labelOf(r.binding) : undefined;
    if (label) return { ...p, binding: label };
    const sim = Array.isArray(r.simulated) ? r.simulated : [];
    if (sim.length === 0 || typeof sim[0] !== 'number') return p;
    return { ...p, binding: sim[0] === p.nodes ? BY_REQUESTS : BY_SIMULATION };
  });
}
