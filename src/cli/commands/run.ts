// `meshsim run FILE`: simulate, print the comparison, and write the results and the report if asked.

import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { checkScenario, formatFindings } from '../../check/index.ts';
import { attachCost, costTable } from '../../cost/index.ts';
import { type OutputDirectory, type OutputFile, writeFileAtomic } from '../../io/index.ts';
import { comparisonTable, disruptionTable, resultsJson } from '../../report/index.ts';
import { applyOverrides, DEFAULT_PRECISION, loadScenario, type Scenario } from '../../scenario/index.ts';
import { type Results, replicationPool, simulate, simulateWith } from '../../simulate/index.ts';
import { refuseOverBudget } from '../budget.ts';
import { UsageError } from '../errors.ts';
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
  precision?: string;
  maxReplications?: number;
  workers?: number;
}

/** `--precision 5%` or `0.05`, `--max-replications N` and `--warmup auto` on top of the scenario. */
function applyRunFlags(s: Scenario, a: RunArgs): Scenario {
  const sim = { ...s.simulation };
  if (a.warmup === 'auto') {
    sim.warmupAuto = true;
    sim.warmup = 0;
  }
  if (a.precision !== undefined) {
    const m = /^\s*([0-9.]+)\s*(%?)\s*$/.exec(a.precision);
    const v = m ? Number(m[1]) / (m[2] ? 100 : 1) : Number.NaN;
    if (!(v > 0 && v < 1))
      throw new UsageError(`--precision: found "${a.precision}", expected a share such as 5% or 0.05`);
    sim.precision = { ...DEFAULT_PRECISION, ...sim.precision, relative: v };
  }
  const max = parseIntFlag('max-replications', a.maxReplications, 2);
  if (max !== undefined) {
    if (!sim.precision)
      throw new UsageError('--max-replications: only with --precision or simulation.precision');
    if (max > 100)
      throw new UsageError(`--max-replications: found ${max}, expected an integer from 2 to 100`);
    sim.precision = { ...sim.precision, maxReplications: max };
  }
  return { ...s, simulation: sim };
}

/** More threads than cores only queue behind each other (and each holds a replication's memory). */
function workerCount(asked: number | undefined): number {
  const cores = availableParallelism();
  const n = parseIntFlag('workers', asked, 1) ?? cores;
  if (n <= cores) return n;
  process.stderr.write(`meshsim: --workers ${n} capped at the ${cores} cores available\n`);
  return cores;
}

export async function runCommand(a: RunArgs): Promise<number> {
  checkScenarioFile(a.file);
  const loaded = applyOverrides(loadScenario(a.file), {
    seed: parseIntFlag('seed', a.seed, 0),
    replications: parseIntFlag('replications', a.replications, 1),
    duration: parseDurationFlag('duration', a.duration),
    warmup: a.warmup === 'auto' ? undefined : parseDurationFlag('warmup', a.warmup),
    compare: parseArchs(a.arch),
  });
  const s = applyRunFlags(loaded, a);
  const workers = workerCount(a.workers);
  refuseOverBudget(s, a.force, workers);
  let report: OutputDirectory | undefined;
  let out: OutputFile | undefined;
  try {
    report = outDirectory(a.report, '--report');
    // The report directory holds results.json too; a second copy through --out would race the swap.
    out = sameDirectory(a.out, a.report) ? undefined : outFile(a.out, 'results.json');
    // The operational cautions worth a warning go to stderr (so --json stdout stays the results alone),
    // once the outputs are known to be writable; `meshsim check` lists the informational ones too.
    const findings = checkScenario(
      s,
      { file: a.file, text: readFileSync(a.file, 'utf8') },
      {},
      { simulating: true },
    );
    const warnings = findings.filter((f) => f.severity !== 'info');
    if (warnings.length > 0) process.stderr.write(formatFindings(warnings));
    const bar = progress(`simulating ${s.metadata.name}`, 'replications');
    const t0 = Date.now();
    const onProgress = (d: number, t: number) => bar.update(d, t, stepEta(t0, Date.now(), d, t));
    const opts = { file: a.file, onProgress };
    let simulated: Results;
    if (workers <= 1) simulated = simulate(s, opts);
    else {
      const pool = replicationPool(workers);
      try {
        simulated = await simulateWith(s, pool, opts);
      } finally {
        await pool.close();
      }
    }
    // All of them (info too) go with the results, for the report and other tools.
    const results = {
      ...attachCost(s, simulated),
      findings: findings.map(({ code, severity, title, object, message, action, reference }) => ({
        code,
        severity,
        title,
        object,
        message,
        action,
        reference,
      })),
    };
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
        `${comparisonTable(results)}\n\n${costTable(results.cost, results.costDeltas)}\n${disruption ? `\n${disruption}\n` : ''}`,
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
