// `meshsim calibrate`: simulate each published benchmark set-up and compare with the published figure.
import { fileURLToPath } from 'node:url';
import { applyOverrides, loadScenario } from '../scenario/index.ts';
import { type ArchResult, simulate, VERSION } from '../simulate/index.ts';
import { FIGURES, TOLERANCE } from './figures.ts';

export const CALIBRATION_DIR = fileURLToPath(new URL('../../scenarios/calibration/', import.meta.url));

export interface CalibrationRow {
  figure: string;
  source: string;
  unit: string;
  published: number;
  simulated: number;
  /** (simulated - published) / published. */
  error: number;
  ok: boolean;
}

export interface CalibrationResults {
  schema: 'meshsim/calibration/v1';
  meshsimVersion: string;
  tolerance: number;
  calibration: CalibrationRow[];
}

export function calibrate(opts: { seed?: number; replications?: number } = {}): CalibrationResults {
  const runs = new Map<string, Map<string, ArchResult>>();
  const rows = FIGURES.map((f) => {
    let by = runs.get(f.scenario);
    if (!by) {
      const s = applyOverrides(loadScenario(CALIBRATION_DIR + f.scenario), opts);
      by = new Map(
        simulate(s, { file: `scenarios/calibration/${f.scenario}` }).architectures.map((a) => [
          a.architecture,
          a,
        ]),
      );
      runs.set(f.scenario, by);
    }
    const simulated = f.read(by);
    const error = (simulated - f.published) / f.published;
    return {
      figure: f.figure,
      source: f.source,
      unit: f.unit,
      published: f.published,
      simulated,
      error,
      ok: Math.abs(error) <= TOLERANCE,
    };
  });
  return {
    schema: 'meshsim/calibration/v1',
    meshsimVersion: VERSION,
    tolerance: TOLERANCE,
    calibration: rows,
  };
}
