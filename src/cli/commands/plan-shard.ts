// `meshsim plan FILE --shard I/N`: one share of the plan, written as `plan.shard-I-of-N.json` for
// `meshsim merge`. `index/N` takes I from JOB_COMPLETION_INDEX, which Kubernetes sets in every pod of an
// Indexed Job (kubernetes/kubernetes pkg/controller/job/indexed_job_utils.go,
// addCompletionIndexEnvVariable, v1.22+; https://kubernetes.io/docs/concepts/workloads/controllers/job/
// #completion-mode), so one manifest serves every pod.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import {
  checkShard,
  directoryStore,
  PlanInputError,
  PlanInterrupted,
  planTable,
  runPlanShard,
  type Shard,
} from '../../plan/index.ts';
import { applyOverrides, loadScenario } from '../../scenario/index.ts';
import { writeFileAtomic } from '../atomic.ts';
import { UsageError } from '../errors.ts';
import { parseDurationFlag, parseIntFlag } from '../parse-list.ts';
import { progress } from '../progress.ts';
import { type PlanArgs, settings } from './plan.ts';

/** The variable Kubernetes sets to a pod's completion index in an Indexed Job. */
export const COMPLETION_INDEX_ENV = 'JOB_COMPLETION_INDEX';
const EXIT_INTERRUPTED = 130;

export function shardFileName(s: Shard): string {
  return `plan.shard-${s.index}-of-${s.count}.json`;
}

export function parseShard(v: string, env: NodeJS.ProcessEnv = process.env): Shard {
  const m = /^\s*(\d+|index)\s*\/\s*(\d+)\s*$/.exec(v);
  if (!m) throw new UsageError(`--shard: found "${v}", expected I/N such as 0/4, or index/4`);
  let index = Number(m[1]);
  if (m[1] === 'index') {
    const raw = env[COMPLETION_INDEX_ENV];
    if (raw === undefined || !/^\d+$/.test(raw.trim()))
      throw new UsageError(
        `--shard index/${m[2]}: found ${COMPLETION_INDEX_ENV}=${raw === undefined ? '(unset)' : `"${raw}"`}, expected the pod's completion index (set by an Indexed Job)`,
      );
    index = Number(raw.trim());
  }
  const shard = { index, count: Number(m[2]) };
  try {
    checkShard(shard);
  } catch (e) {
    if (e instanceof PlanInputError) throw new UsageError(e.message);
    throw e;
  }
  return shard;
}

export async function planShardCommand(a: PlanArgs): Promise<number> {
  const shard = parseShard(a.shard ?? '');
  const s = applyOverrides(loadScenario(a.file), {
    seed: parseIntFlag('seed', a.seed, 0),
    replications: parseIntFlag('replications', a.replications, 1),
    duration: parseDurationFlag(a.duration),
  });
  const workers = parseIntFlag('workers', a.workers, 1) ?? availableParallelism();
  const dir = a.checkpoint ?? (a.out ? join(a.out, '.meshsim-checkpoint') : undefined);
  if (a.resume && !dir) throw new UsageError('--resume needs --checkpoint DIR or --out DIR');
  const stop = new AbortController();
  const onSigint = () => {
    if (!stop.signal.aborted) process.stderr.write('\nmeshsim: interrupted; stopping\n');
    stop.abort();
  };
  process.on('SIGINT', onSigint);
  // A pod is stopped with SIGTERM (eviction, deletion): keep what finished, as for Ctrl-C.
  process.on('SIGTERM', onSigint);
  const bar = progress(`planning ${s.metadata.name}, shard ${shard.index}/${shard.count}`);
  try {
    const r = await runPlanShard(s, settings(a), shard, {
      workers,
      file: a.file,
      signal: stop.signal,
      ...(dir ? { store: directoryStore(dir, a.resume ?? false) } : {}),
      onProgress: (p) => bar.update(p.chainsDone, p.chains),
    });
    bar.stop();
    // Full precision, unlike plan.json: merge computes savings from these numbers and then rounds once,
    // exactly as a single-machine plan does.
    const json = `${JSON.stringify(r.shard)}\n`;
    if (a.out) writeFileAtomic(join(a.out, shardFileName(shard)), json);
    process.stdout.write(a.json ? json : `${planTable(r.shard.plan)}\n`);
    process.stderr.write(
      `meshsim: shard ${shard.index}/${shard.count}: ${r.shard.shard.rows.length} of ${r.shard.shard.chains} chains, ` +
        `${r.stats.simulations} simulations run, ${r.stats.reused} reused from checkpoints; ` +
        'join the shares with `meshsim merge`\n',
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
    process.off('SIGTERM', onSigint);
  }
}
