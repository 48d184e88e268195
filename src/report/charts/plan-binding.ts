// What decided each plan point's node count, read from the plan file's `rows` (src/plan's PlanRow):
// the planner simulates first at the smallest count where every pod fits with headroom, so a point whose
// node count is that first simulated count was bound by the scheduler (requests); any larger count means
// a smaller one failed in simulation, on the CPU target or a latency SLO: the plan does not record which.
// A row's own `binding` string, when a planner writes one, is taken as it is.
import type { PlanInput } from './plan.ts';

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

export const BY_REQUESTS = 'requests (scheduling with headroom)';
export const BY_SIMULATION = 'simulation (CPU target or latency SLO)';

export function withBinding(plan: PlanInput[], file: unknown): PlanInput[] {
  const rows = isObj(file) && Array.isArray(file.rows) ? file.rows.filter(isObj) : [];
  return plan.map((p) => {
    const r = rows.find(
      (x) => x.growth === p.growth && x.architecture === p.architecture && x.instanceType === p.instanceType,
    );
    if (!r) return p;
    if (typeof r.binding === 'string') return { ...p, binding: r.binding };
    const sim = Array.isArray(r.simulated) ? r.simulated : [];
    if (sim.length === 0 || typeof sim[0] !== 'number') return p;
    return { ...p, binding: sim[0] === p.nodes ? BY_REQUESTS : BY_SIMULATION };
  });
}
