// What a loaded JSON file holds, by duck typing: `meshsim run` results, and the files of `plan`, cost
// and `calibrate`, which have no shared type yet. A file may hold several (results with a cost field).
import type { Results } from '../../simulate/index.ts';
import type { CalibrationInput } from './calibration.ts';
import { costInputs } from './cost-input.ts';
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

export function costOf(x: unknown) {
  const rows = arrayOf<unknown>(x, 'cost');
  return rows && costInputs(rows);
}
const num = (x: unknown) => typeof x === 'number' && Number.isFinite(x);
const str = (x: unknown) => typeof x === 'string';

/** The rows when every one has the fields the chart reads with the right types, else undefined. */
function rowsOf<T>(
  x: unknown,
  key: string,
  fields: Record<string, (v: unknown) => boolean>,
): T[] | undefined {
  const rows = arrayOf<unknown>(x, key);
  const ok = (r: unknown) => isObj(r) && Object.entries(fields).every(([f, check]) => check(r[f]));
  return rows?.every(ok) ? (rows as T[]) : undefined;
}

export const planOf = (x: unknown) =>
  rowsOf<PlanInput>(x, 'plan', {
    growth: num,
    architecture: str,
    instanceType: str,
    nodes: num,
    monthly: num,
  });
export const calibrationOf = (x: unknown) =>
  rowsOf<CalibrationInput>(x, 'calibration', {
    figure: str,
    source: str,
    published: num,
    simulated: num,
    unit: str,
  });

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
