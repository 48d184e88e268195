// Refuse, before simulating, a run that cannot fit on this machine (memory) or that nobody would wait
// for, with the estimate and the knob that would fix it (exit 2); `--force` runs it anyway.
import { availableParallelism, totalmem } from 'node:os';
import { estimateRun, overBudget } from '../budget/index.ts';
import type { Scenario } from '../scenario/index.ts';
import { UsageError } from './errors.ts';

export function refuseOverBudget(s: Scenario, force: boolean | undefined, workers = 1): void {
  if (force) return;
  const problems = overBudget(estimateRun(s, workers), { memory: totalmem(), cores: availableParallelism() });
  if (problems.length === 0) return;
  throw new UsageError(`${problems.join('\n')}\n(or --force to run it anyway)`);
}
