// `meshsim run FILE`: simulate, print the comparison, and write the results and the report if asked.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkScenario, formatFindings } from '../../check/index.ts';
import { attachCost, costTable } from '../../cost/index.ts';
import { type OutputDirectory, type OutputFile, writeFileAtomic } from '../../io/index.ts';
import { comparisonTable, disruptionTable, resultsJson } from '../../report/index.ts';
import { applyOverrides, loadScenario } from '../../scenario/index.ts';
import { simulate } from '../../simulate/index.ts';
import { refuseOverBudget } from '../budget.ts';
import { checkScenarioFile, outDirectory, outFile, sameDirectory, wrote } from '../outputs.ts';
import { parseArchs, parseDurationFlag, parseIntFlag } from '../parse-list.ts';
import { progress, stepEta } from '../progress.ts';

export interface RunArgs {
  file: string;
  arch?: string;
  seed?: number;
  replications?: number;
  duration?: string;
  warmup?: string;
  json?: boolean;
  out?: string;
  report?: string;
  force?: boolean;
}

export async function runCommand(a: RunArgs): Promise<number> {
  checkScenarioFile(a.file);
  const s = applyOverrides(loadScenario(a.file), {
    seed: parseIntFlag('seed', a.seed, 0),
    replications: parseIntFlag('replications', a.replications, 1),
    duration: parseDurationFlag('duration', a.duration),
    warmup: parseDurationFlag('warmup', a.warmup),
    compare: parseArchs(a.arch),
  });
  refuseOverBudget(s, a.force);
  let report: OutputDirectory | undefined;
  let out: OutputFile | undefined;
  try {
    report = outDirectory(a.report, '--report');
    // The report directory holds results.json too; a second copy through --out would race the swap.
    out = sameDirectory(a.out, a.report) ? undefined : outFile(a.out, 'results.json');
    // The operational cautions worth a warning go to stderr (so --json stdout stays the results alone),
    // once the outputs are known to be writable; `meshsim check` lists the informational ones too.
    const findings = checkScenario(s, { file: a.file, text: readFileSync(a.file, 'utf8') }).filter(
      (f) => f.severity !== 'info',
    );
    if (findings.length > 0) process.stderr.write(formatFindings(findings));
    const bar = progress(`simulating ${s.metadata.name}`, 'replications');
    const t0 = Date.now();
    const onProgress = (d: number, t: number) => bar.update(d, t, stepEta(t0, Date.now(), d, t));
    const results = attachCost(s, simulate(s, { file: a.file, onProgress }));
    bar.stop();
    const json = resultsJson(results);
    if (report) {
      const { writeReport } = await import('../../report/html/index.ts');
      await report.fill(async (dir) => {
        await writeReport([results], dir);
        writeFileAtomic(join(dir, 'results.json'), json);
      });
      await report.commit();
    }
    out?.commit(json);
    if (a.json) process.stdout.write(json);
    else {
      const disruption = disruptionTable(results);
      process.stdout.write(
        `${comparisonTable(results)}\n\n${costTable(results.cost)}\n${disruption ? `\n${disruption}\n` : ''}`,
      );
    }
    if (report) wrote(join(a.report!, 'index.html'), join(a.report!, 'results.json'));
    if (out) wrote(out.path);
    return 0;
  } finally {
    out?.discard();
    report?.discard();
  }
}
