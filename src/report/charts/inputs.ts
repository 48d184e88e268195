// What a loaded JSON file holds, by duck typing: `meshsim run` results, and the files of `plan`, cost
// and `calibrate`, which have no shared type yet. A file may hold several (results with a cost field).
import type { Results } from '../../simulate/index.ts';
import type { CalibrationInput } from './calibration.ts';
import type { CostInput } from './cost.ts';
import type { PlanInput } from './plan.ts';

type Obj = Record<string, unknown>;

const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

export function isResults(x: unknown): x is Results {
  return (
    isObj(x) &&
    typeof x.schema === 'string' &&
    x.schema.startsWith('meshsim/results/') &&
    isObj(x.scenario) &&
    Array.isArray(x.architectures)
  );
}

const arrayOf = <T>(x: unknown, key: string): T[] | undefined =>
  isObj(x) && Array.isArray(x[key]) ? (x[key] as T[]) : undefined;

export const costOf = (x: unknown) => arrayOf<CostInput>(x, 'cost');
export const planOf = (x: unknown) => arrayOf<PlanInput>(x, 'plan');
export const calibrationOf = (x: unknown) => arrayOf<CalibrationInput>(x, 'calibration');

export function toleranceOf(x: unknown): number | undefined {
  return isObj(x) && typeof x.tolerance === 'number' ? x.tolerance : undefined;
}

/** A human name for an input: its scenario, else what kind of file it is. */
export function inputLabel(x: unknown): string {
  if (isObj(x) && isObj(x.scenario) && typeof x.scenario.name === 'string') return x.scenario.name;
  if (calibrationOf(x)) return 'calibration';
  if (planOf(x)) return 'plan';
  if (costOf(x)) return 'cost';
  return 'input';
}

/** True when a report can draw anything from the input. */
export const isChartable = (x: unknown) => isResults(x) || !!costOf(x) || !!planOf(x) || !!calibrationOf(x);
