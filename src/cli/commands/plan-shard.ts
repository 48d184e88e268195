import { count } from '../../format/index.ts';
import { runPlanShard, type Shard, shareJson } from '../../plan/index.ts';
import { UsageError } from '../errors.ts';
import { outFile, wrote } from '../outputs.ts';
import { progress } from '../progress.ts';
import { type PlanArgs, planFailed, planHooks, planSetup } from './plan.ts';

/** The variable the Job controller sets to a pod's completion index in an Indexed Job. */
export const COMPLETION_INDEX_ENV = 'JOB_COMPLETION_INDEX';

export function shardFileName(s: Shard): string {
  return `plan.shard-${s.index}-of-${s.count}.json`;
}

const DIGITS = /^\d{1,9}$/;

/** `I/N` or `index/N` -> the share; anything else is a usage error that quotes what was given. */
export function parseShard(v: string, env: NodeJS.ProcessEnv = process.env): Shard {
  const m = /^\s*([^/\s]+)\s*\/\s*([^/\s]+)\s*$/.exec(v);
  const expected = 'expected I/N with 0 <= I < N, such as 0/4, or index/N to read JOB_COMPLETION_INDEX';
  if (!m || !DIGITS.test(m[2]!) || !(DIGITS.test(m[1]!) || m[1] === 'index'))
    throw new UsageError(`--shard: found "${v}", ${expected}`);
  const total = Number(m[2]);
  if (total < 1) throw new UsageError(`--shard: found "${v}", expected N >= 1 shares`);
  let index = Number(m[1]);
  if (m[1] === 'index') {
    const raw = env[COMPLETION_INDEX_ENV];
    if (raw === undefined || !DIGITS.test(raw.trim()))
      throw new UsageError(
        `--shard ${v}: found ${COMPLETION_INDEX_ENV}=${raw === undefined ? '(unset)' : `"${raw}"`}, ` +
          "expected the pod's completion index (an Indexed Job sets it)",
      );
    index = Number(raw.trim());
    if (index >= total)
      throw new UsageError(
        `--shard ${v}: found ${COMPLETION_INDEX_ENV}=${index}, expected an index from 0 to ${total - 1}`,
      );
  } else if (index >= total) {
    throw new UsageError(`--shard: found "${v}", expected I from 0 to ${total - 1}`);
  }
  return { index, count: total };
}

export async function planShardCommand(a: PlanArgs): Promise<number> {
  const shard = parseShard(a.shard ?? '');
  if (!a.out && !a.json)
    throw new UsageError(`--shard ${a.shard}: a share is only read by merge; give --out DIR (or --json)`);
  const { s, workers, planned, dir } = planSetup(a);
  const out = outFile(a.out, shardFileName(shard));
  const stop = new AbortController();
  const onSignal = () => {
    if (!stop.signal.aborted) process.stderr.write('\nmeshsim: interrupted; stopping\n');
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  // A pod is stopped with SIGTERM (eviction, deletion): keep what finished, as for Ctrl-C.
  process.on('SIGTERM', onSignal);
  const bar = progress(`planning ${s.metadata.name}, share ${shard.index}/${shard.count}`, 'simulations');
  try {
    const r = await runPlanShard(s, planned, shard, {
      workers,
      file: a.file,
      signal: stop.signal,
      ...planHooks(a, s, dir, bar),
    });
    bar.stop();
    // Full precision, unlike plan.json: merge compares the chains and rounds once, as one machine does.
    const json = shareJson(r.shard);
    out?.commit(json);
    if (a.json) process.stdout.write(json);
    process.stderr.write(
      `meshsim: share ${shard.index}/${shard.count}: ${count(r.shard.plan.rows.length, 'chain')} of ` +
        `${r.shard.shard.assignment.length}, ${count(r.stats.simulations, 'simulation')} run, ` +
        `${r.stats.reused} reused from checkpoints, ${r.stats.shared} shared between node types of the same shape, ` +
        `${count(r.stats.screens, 'short screening run')}; ` +
        'join the shares with `meshsim merge`\n',
    );
    if (out) wrote(out.path);
    return 0;
  } catch (e) {
    bar.stop();
    return planFailed(e, dir);
  } finally {
    out?.discard();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
