// `meshsim report RESULTS.json... --out DIR`: redraws charts and the HTML report from saved results,
// without simulating again. Inputs are checked here, where a bad path or a malformed file is the user's
// to fix (exit 2), rather than failing somewhere inside the chart code as an internal error. The output
// directory is staged and swapped in whole, so a killed report never leaves an index-less folder.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
// inputs.ts alone, not the charts' index: a bad input is reported before vega and resvg load.
import { isChartable } from '../../report/charts/inputs.ts';
import { UsageError } from '../errors.ts';
import { outDirectory } from '../outputs.ts';
import { shapeProblem } from '../results-shape.ts';

export interface ReportArgs {
  files: string[];
  out: string;
}

function readInput(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    throw new UsageError(`cannot read results file ${file}: ${why}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(
      `${file} is not valid JSON (${(e as Error).message}); give a file written by meshsim run --out`,
    );
  }
  const schema =
    typeof json === 'object' && json !== null ? (json as { schema?: unknown }).schema : undefined;
  if (typeof schema !== 'string' || !schema.startsWith('meshsim/'))
    throw new UsageError(
      `${file} is not a meshsim results file (it has no "schema": "meshsim/..." field); ` +
        'write one with meshsim run SCENARIO --out DIR',
    );
  if (!isChartable(json)) throw new UsageError(`${file} (${schema}) holds nothing meshsim report can chart`);
  const problem = shapeProblem(json);
  if (problem)
    throw new UsageError(
      `${file} is not a complete ${schema} file (${problem}); it may be truncated, edited or from another ` +
        'meshsim version: write it again with meshsim run SCENARIO --out DIR',
    );
  return json;
}

export async function reportCommand(a: ReportArgs): Promise<number> {
  if (a.files.length === 0) throw new UsageError('report: give at least one RESULTS.json file');
  if (!a.out) throw new UsageError('report: give the output directory with --out DIR');
  const inputs = a.files.map(readInput);
  const out = outDirectory(a.out, '--out')!;
  const { writeReport } = await import('../../report/html/index.ts');
  try {
    await out.fill((dir) => writeReport(inputs, dir).then(() => undefined));
    await out.commit();
  } finally {
    out.discard();
  }
  process.stdout.write(`${join(a.out, 'index.html')}\n`);
  return 0;
}
