import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Argv } from 'yargs';
import {
  directoryStore,
  PlanInputError,
  PlanInterrupted,
  type PlanSettings,
  planTable,
  runPlan,
} from '../../plan/index.ts';
import { resultsJson } from '../../report/index.ts';
import { applyOverrides, loadScenario } from '../../scenario/index.ts';
import { writeFileAtomic } from '../atomic.ts';
import { UsageError } from '../errors.ts';
import { parseArchs, parseDurationFlag, parseIntFlag } from '../parse-list.ts';
import { progress } from '../progress.ts';

/** Exit code of a run stopped by Ctrl-C, as shells report SIGINT (128 + 2). */
const EXIT_INTERRUPTED = 130;

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
  json?: boolean;
  out?: string;
  checkpoint?: string;
  resume?: boolean;
  /** `I/N`: compute share I of N (see plan-shard.ts). */
  shard?: string;
}

export function planOptions<T>(y: Argv<T>) {
  return y
    .positional('file', { type: 'string', demandOption: true, describe: 'scenario file (YAML or JSON)' })
    .option('arch', {
      type: 'string',
      describe: "architectures (default: the scenario's, minus as-labelled)",
    })
    .option('types', { type: 'string', describe: 'instance types, e.g. m5.xlarge,c6i.xlarge' })
    .option('growth', { type: 'string', describe: 'load growth factors, e.g. 1,2,5,10 (default 1)' })
    .option('headroom', {
      type: 'number',
      describe: 'fraction of node allocatable left free of requests (0.1)',
    })
    .option('cpu-target', { type: 'number', describe: 'highest mean CPU utilisation of any node (0.7)' })
    .option('max-nodes', { type: 'number', describe: 'largest cluster tried (200)' })
    .option('workers', { type: 'number', describe: 'worker threads (default: available parallelism)' })
    .option('seed', { type: 'number', describe: 'master seed (overrides simulation.seed)' })
    .option('replications', { type: 'number', describe: 'independent replications per simulation' })
    .option('duration', { type: 'string', describe: 'simulated duration, e.g. 10s' })
    .option('json', { type: 'boolean', default: false, describe: 'write the plan JSON to stdout' })
    .option('out', { type: 'string', describe: 'directory to write plan.json into' })
    .option('checkpoint', {
      type: 'string',
      describe: 'checkpoint directory (default <out>/.meshsim-checkpoint)',
    })
    .option('resume', {
      type: 'boolean',
      default: false,
      describe: 'reuse finished simulations from checkpoints',
    })
    .option('shard', {
      type: 'string',
      describe: 'compute share I of N (I/N, or index/N to read JOB_COMPLETION_INDEX); join with merge',
    });
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
  if (growth) o.growth = growth;
  if (a.headroom !== undefined) o.headroom = a.headroom;
  if (a.cpuTarget !== undefined) o.cpuTarget = a.cpuTarget;
  const maxNodes = parseIntFlag('max-nodes', a.maxNodes, 1);
  if (maxNodes !== undefined) o.maxNodes = maxNodes;
  return o;
}

export async function planCommand(a: PlanArgs): Promise<number> {
  const s = applyOverrides(loadScenario(a.file), {
    seed: parseIntFlag('seed', a.seed, 0),
    replications: parseIntFlag('replications', a.replications, 1),
    duration: parseDurationFlag(a.duration),
  });
  const workers = parseIntFlag('workers', a.workers, 1) ?? availableParallelism();
  const dir = a.checkpoint ?? (a.out ? join(a.out, '.meshsim-checkpoint') : undefined);
  if (a.resume && !dir) throw new UsageError('--resume needs --checkpoint DIR or --out DIR');
  const stop = new AbortController();
  // Kept for the whole run: under npx one Ctrl-C can arrive twice (the terminal's and npx's relay), and
  // the default handler would then kill the process before it says what it kept.
  const onSigint = () => {
    if (!stop.signal.aborted) process.stderr.write('\nmeshsim: interrupted; stopping\n');
    stop.abort();
  };
  process.on('SIGINT', onSigint);
  const bar = progress(`planning ${s.metadata.name}`);
  try {
    const { plan, stats } = await runPlan(s, settings(a), {
      workers,
      file: a.file,
      signal: stop.signal,
      ...(dir ? { store: directoryStore(dir, a.resume ?? false) } : {}),
      onProgress: (p) => bar.update(p.chainsDone, p.chains),
    });
    bar.stop();
    const json = resultsJson(plan);
    if (a.out) writeFileAtomic(join(a.out, 'plan.json'), json);
    process.stdout.write(a.json ? json : `${planTable(plan)}\n`);
    process.stderr.write(
      `meshsim: ${stats.simulations} simulations run, ${stats.reused} reused from checkpoints\n`,
    );
    return 0;
  } catch (e) {
    bar.stop();
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
  } finally {
    process.off('SIGINT', onSigint);
  }
}
