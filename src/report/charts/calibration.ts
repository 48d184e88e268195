// How far the simulator is from each published figure it is calibrated against. Figures have different
// units, so the chart draws the relative error; the table keeps both values with their unit.
import { type Row, tableRows, topLevel, values } from './spec.ts';
import type { ChartSpec } from './types.ts';

/**
 * One calibrated figure (the `calibration` field of `meshsim calibrate --json`'s output; extra fields
 * such as `error` and `ok` are ignored and recomputed here). `published` and `simulated` share `unit`.
 */
export interface CalibrationInput {
  figure: string;
  source: string;
  published: number;
  simulated: number;
  unit: string;
}

const errorPercent = (c: CalibrationInput) =>
  c.published === 0 ? 0 : ((c.simulated - c.published) / c.published) * 100;

/** `tolerance` is a fraction (0.15 = ±15 %); when given, the band is drawn and bars coloured by it. */
export function calibrationCharts(
  rows: CalibrationInput[],
  subtitle = 'calibration',
  tolerance?: number,
): ChartSpec[] {
  if (rows.length === 0) return [];
  const figures = rows.map((c) => c.figure);
  const tol = tolerance !== undefined && Number.isFinite(tolerance) ? tolerance * 100 : undefined;
  const data: Row[] = rows.map((c) => {
    const error = errorPercent(c);
    const within =
      tol === undefined ? 'n/a' : Math.abs(error) <= tol ? 'within tolerance' : 'outside tolerance';
    return { figure: c.figure, unit: c.unit, published: c.published, simulated: c.simulated, error, within };
  });
  const layers: object[] = [];
  if (tol !== undefined)
    layers.push({
      data: { values: [{ lo: -tol, hi: tol }] },
      mark: { type: 'rect', color: '#54a24b', opacity: 0.12 },
      encoding: { x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' } },
    });
  layers.push(
    {
      mark: { type: 'bar', height: { band: 0.7 } },
      encoding: {
        y: { field: 'figure', type: 'nominal', sort: figures, title: null, axis: { labelLimit: 360 } },
        x: { field: 'error', type: 'quantitative', title: 'simulated vs published (% error)' },
        color:
          tol === undefined
            ? { value: '#4c78a8' }
            : {
                field: 'within',
                type: 'nominal',
                scale: { domain: ['within tolerance', 'outside tolerance'], range: ['#54a24b', '#e45756'] },
                title: `tolerance ±${Number(tol.toPrecision(6))}%`,
              },
        tooltip: [
          { field: 'figure', type: 'nominal' },
          { field: 'published', type: 'quantitative' },
          { field: 'simulated', type: 'quantitative', format: '.4~g' },
          { field: 'unit', type: 'nominal' },
          { field: 'error', type: 'quantitative', title: 'error (%)', format: '+.1f' },
        ],
      },
    },
    {
      data: { values: [{ zero: 0 }] },
      mark: { type: 'rule', color: '#222222' },
      encoding: { x: { field: 'zero', type: 'quantitative' } },
    },
  );
  const title = 'Calibration: simulated vs published figures (% error)';
  const spec = topLevel(title, subtitle, {
    data: { values: values(data) },
    width: 420,
    height: { step: 22 },
    layer: layers,
  });
  return [
    {
      name: 'calibration',
      title,
      spec,
      table: {
        columns: ['figure', 'unit', 'published', 'simulated', 'error (%)', 'source'],
        rows: tableRows(
          rows.map((c) => [c.figure, c.unit, c.published, c.simulated, errorPercent(c), c.source]),
        ),
      },
    },
  ];
}
