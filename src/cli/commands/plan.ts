import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { count } from '../../format/index.ts';
import {
  directoryStore,
  growScenario,
  PlanInputError,
  PlanInterrupted,
  type PlanProgress,
  type PlanSettings,
  planTable,
  runPlan,
  type SampleStore,
} from '../../plan/index.ts';
import { resultsJson } from '../../report/index.ts';
import { applyOverrides, loadScenario, type Scenario, scenarioHash } from '../../scenario/index.ts';
import { refuseOverBudget } from '../budget.ts';
import { UsageError } from '../errors.ts';
import { checkScenarioFile, outFile, wrote } from '../outputs.ts';
import { parseArchs, parseDurationFlag, parseIntFlag } from '../parse-list.ts';
import { etaSeconds, progress } from '../progress.ts';

/** ASSUMPTION: a growth factor beyond which a plan is no longer a plan of this workload. */
const MAX_GROWTH = 1000;

/** Exit code of a run stopped by Ctrl-C, as shells report SIGINT (128 + 2). */
export const EXIT_INTERRUPTED = 130;

/** The checkpoint store (with `dir`) and the progress bar's feed a plan, or a share of one, runs with. */
export function planHooks(
  a: PlanArgs,
  s: Scenario,
  dir: string | undefined,
  bar: ReturnType<typeof progress>,
): { store?: SampleStore; onProgress: (p: PlanProgress) => void } {
  const t0 = Date.now();
  return {
    ...(dir
      ? {
          store: directoryStore(dir, a.resume ?? false, {
            scenarioHash: scenarioHash(s),
            onRejected: (file, why) =>
              process.stderr.write(`meshsim: checkpoint ${file} ${why}; simulating it again\n`),
          }),
        }
      : {}),
    onProgress: (p) =>
      bar.update(p.simulations, p.expected, etaSeconds((Date.now() - t0) / 1e3, p.workDone, p.workLeft)),
  };
}

/**
 * What a plan (or a share of one) that threw exits with: interrupted says where its finished simulations
 * are (130); a bad input is a usage error; anything else is rethrown as internal.
 */
export function planFailed(e: unknown, dir: string | undefined): number {
  if (e instanceof PlanInterrupted) {
    process.stderr.write(
      dir
        ? `meshsim: plan interrupted; finished simulations are in ${dir}; run again with --resume\n`
        : 'meshsim: plan interrupted; nothing written\n',
    );
    return EXIT_INTERRUPTED;
  }
  if (e instanceof PlanInputError) throw new UsageError(e.message);
  throw e;
}

export interface PlanArgs {
  file: string;
  arch?: string;
  types?: string;
  growth?: string;
  headroom?: number;
  cpuTarget?: number;
  maxNodes?: number;
  workers?: number;
  seed?: number;
  replications?: number;
  duration?: string;
  warmup?: string;
  json?: boolean;
  out?: string;
  checkpoint?: string;
  resume?: boolean;
  force?: boolean;
  /** `I/N` or `index/N`: compute one share (plan-shard.ts). */
  shard?: string;
}

function numbers(name: string, v: string | undefined): number[] | undefined {
  if (v === undefined) return undefined;
  const list = v.split(',').map((x) => x.trim());
  const out = list.map(Number);
  if (list.length === 0 || list.some((x) => x === '') || out.some((x) => !(Number.isFinite(x) && x > 0)))
    throw new UsageError(`--${name}: found "${v}", expected positive numbers such as 1,2,5,10`);
  return out;
}

function names(v: string | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  const list = v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  if (list.length === 0) throw new UsageError('--types: expected at least one instance type');
  return list;
}

export function settings(a: PlanArgs): Partial<PlanSettings> {
  const o: Partial<PlanSettings> = {};
  const archs = parseArchs(a.arch);
  if (archs) o.architectures = archs;
  const types = names(a.types);
  if (types) o.instanceTypes = types;
  const growth = numbers('growth', a.growth);
  if (growth?.some((g) => g > MAX_GROWTH))
    throw new UsageError(`--growth: found "${a.growth}", expected factors of at most ${MAX_GROWTH}`);
  if (growth) o.growth = growth;
  if (a.headroom !== undefined) o.headroom = a.headroom;
  if (a.cpuTarget !== undefined) o.cpuTarget = a.cpuTarget;
  const maxNodes = parseIntFlag('max-nodes', a.maxNodes, 1);
  if (maxNodes !== undefined) o.maxNodes = maxNodes;
  return o;
}

/** More threads than cores only queue behind each other (and each holds a simulation's memory). */
export function workerCount(asked: number | undefined): number {
  const cores = availableParallelism();
  const n = parseIntFlag('workers', asked, 1) ?? cores;
  if (n <= cores) return n;
  process.stderr.write(`meshsim: --workers ${n} capped at the ${count(cores, 'core')} available\n`);
  return cores;
}

/** The scenario file with the simulation flags applied. */
export function planScenario(a: PlanArgs): Scenario {
  checkScenarioFile(a.file);
  return applyOverrides(loadScenario(a.file), {
    seed: parseIntFlag('seed', a.seed, 0),
    replications: parseIntFlag('replications', a.replications, 1),
    duration: parseDurationFlag('duration', a.duration),
    warmup: parseDurationFlag('warmup', a.warmup),
  });
}

/**
 * What plan and plan --shard both start from: the scenario, workers and settings, the budget check at
 * the largest growth (one simulation there must fit, or the whole plan cannot), and the checkpoint
 * directory, checked writable now since checkpoints are written as simulations finish.
 */
export function planSetup(a: PlanArgs): {
  s: Scenario;
  workers: number;
  planned: Partial<PlanSettings>;
  dir: string | undefined;
} {
  const s = planScenario(a);
  const workers = workerCount(a.workers);
  const planned = settings(a);
  const largest = (planned.growth ?? [1]).reduce((m, g) => Math.max(m, g), 1);
  refuseOverBudget(growScenario(s, largest), a.force, workers);
  const dir = a.checkpoint ?? (a.out ? join(a.out, '.meshsim-checkpoint') : undefined);
  if (a.resume && !dir) throw new UsageError('--resume needs --checkpoint DIR or --out DIR');
  if (dir) outFile(dir, 'checkpoint', a.checkpoint ? '--checkpoint' : '--out')?.discard();
  return { s, workers, planned, dir };
}

export async function planCommand(a: PlanArgs): Promise<number> {
  const { s, workers, planned, dir } = planSetup(a);
  const out = outFile(a.out, 'plan.json');
  const stop = new AbortController();
  // Kept for the whole run: under npx one Ctrl-C can arrive twice (the terminal's and npx's relay), and
  // the default handler would then kill the process before it says what it kept.
  const onSigint = () => {
    if (!stop.signal.aborted) process.stderr.write('\nmeshsim: interrupted; stopping\n');
    stop.abort();
  };
  process.on('SIGINT', onSigint);
  const bar = progress(`planning ${s.metadata.name}`, 'simulations');
  try {
    const { plan, stats } = await runPlan(s, planned, {
      workers,
      file: a.file,
      signal: stop.signal,
      ...planHooks(a, s, dir, bar),
    });
    bar.stop();
    const json = resultsJson(plan);
    out?.commit(json);
    process.stdout.write(a.json ? json : `${planTable(plan)}\n`);
    process.stderr.write(
      `meshsim: ${count(stats.simulations, 'simulation')} run, ${stats.reused} reused from checkpoints, ` +
        `${stats.shared} shared between node types of the same shape; ` +
        `${count(stats.screens, 'short screening run')}\n`,
    );
    if (out) wrote(out.path);
    return 0;
  } catch (e) {
    bar.stop();
    return planFailed(e, dir);
  } finally {
    out?.discard();
    process.off('SIGINT', onSigint);
  }
}
