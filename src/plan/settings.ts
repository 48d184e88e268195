// Defaults of `meshsim plan` and their checks.
import type { Architecture, Scenario } from '../scenario/index.ts';
import { PlanInputError } from './errors.ts';
import { defaultTypes } from './instance.ts';
import type { PlanSettings } from './types.ts';

/**
 * A: no published figure. 10 % of each node kept free of requests leaves room for a rolling update's
 * surge pods and a rescheduled pod, a common platform-team margin.
 */
export const DEFAULT_HEADROOM = 0.1;
/** A: the usual horizontal-scaling target; above about 70 % CPU, queueing delay grows quickly. */
export const DEFAULT_CPU_TARGET = 0.7;
/** A: a cap large enough for the bundled scenarios at 10x growth; an SLO not met by then is infeasible. */
export const DEFAULT_MAX_NODES = 200;

export function resolveSettings(s: Scenario, o: Partial<PlanSettings>): PlanSettings {
  const architectures: Architecture[] = o.architectures ?? s.compare.filter((a) => a !== 'as-labelled');
  if (architectures.length === 0) throw new PlanInputError('no architecture to plan (use --arch)');
  const instanceTypes = o.instanceTypes ?? defaultTypes(s);
  if (instanceTypes.length === 0) throw new PlanInputError('no instance type to plan (use --types)');
  const growth = o.growth ?? [1];
  if (growth.length === 0 || growth.some((g) => !(Number.isFinite(g) && g > 0)))
    throw new PlanInputError('--growth: expected positive factors such as 1,2,5,10');
  const headroom = o.headroom ?? DEFAULT_HEADROOM;
  if (!(headroom >= 0 && headroom < 1)) throw new PlanInputError('--headroom: expected a fraction in [0, 1)');
  const cpuTarget = o.cpuTarget ?? DEFAULT_CPU_TARGET;
  if (!(cpuTarget > 0 && cpuTarget <= 1))
    throw new PlanInputError('--cpu-target: expected a fraction in (0, 1]');
  const maxNodes = o.maxNodes ?? DEFAULT_MAX_NODES;
  if (!(Number.isInteger(maxNodes) && maxNodes >= 1))
    throw new PlanInputError('--max-nodes: expected an integer >= 1');
  return {
    architectures: [...new Set(architectures)],
    instanceTypes: [...new Set(instanceTypes)],
    growth: [...new Set(growth)],
    headroom,
    cpuTarget,
    maxNodes,
    earlyStop: o.earlyStop ?? true,
  };
}
