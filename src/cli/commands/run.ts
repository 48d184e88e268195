import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { checkScenario, formatFindings } from '../../check/index.ts';
import { attachCost, costTable } from '../../cost/index.ts';
import { comparisonTable, disruptionTable, resultsJson } from '../../report/index.ts';
import { applyOverrides, loadScenario } from '../../scenario/index.ts';
import { simulate } from '../../simulate/index.ts';
import { writeFileAtomic } from '../atomic.ts';
import { parseArchs, parseDurationFlag, parseIntFlag } from '../parse-list.ts';
import { progress } from '../progress.ts';

export interface RunArgs {
  file: string;
  arch?: string;
  seed?: number;
  replications?: number;
  duration?: string;
  json?: boolean;
  out?: string;
  report?: string;
}

export function runOptions<T>(y: Argv<T>) {
  return y
    .positional('file', { type: 'string', demandOption: true, describe: 'scenario file (YAML or JSON)' })
    .option('arch', { type: 'string', describe: 'architectures to compare, e.g. none,sidecar,ambient' })
    .option('seed', { type: 'number', describe: 'master seed (overrides simulation.seed)' })
    .option('replications', { type: 'number', describe: 'independent replications' })
    .option('duration', { type: 'string', describe: 'simulated duration, e.g. 30s' })
    .option('json', { type: 'boolean', default: false, describe: 'write the results JSON to stdout' })
    .option('out', { type: 'string', describe: 'directory to write results.json into' })
    .option('report', { type: 'string', describe: 'directory to write the HTML report and charts into' });
}

export async function runCommand(a: RunArgs): Promise<number> {
  const base = loadScenario(a.file);
  const s = applyOverrides(base, {
    seed: parseIntFlag('seed', a.seed, 0),
    replications: parseIntFlag('replications', a.replications, 1),
    duration: parseDurationFlag(a.duration),
    compare: parseArchs(a.arch),
  });
  // The operational cautions go to stderr, so --json stdout stays the results alone.
  const findings = checkScenario(s, { file: a.file, text: readFileSync(a.file, 'utf8') });
  if (findings.length > 0) process.stderr.write(formatFindings(findings));
  const bar = progress(`simulating ${s.metadata.name}`);
  const results = attachCost(s, simulate(s, { file: a.file, onProgress: (d, t) => bar.update(d, t) }));
  bar.stop();
  const json = resultsJson(results);
  if (a.out) writeFileAtomic(join(a.out, 'results.json'), json);
  if (a.report) {
    const { writeReport } = await import('../../report/html/index.ts');
    await writeReport([results], a.report);
  }
  if (a.json) process.stdout.write(json);
  else {
    const disruption = disruptionTable(results);
    process.stdout.write(
      `${comparisonTable(results)}\n\n${costTable(results.cost)}\n${disruption ? `\n${disruption}\n` : ''}`,
    );
  }
  return 0;
}
