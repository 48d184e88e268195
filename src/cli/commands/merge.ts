// `meshsim merge SHARE... [--out DIR] [--json]`: joins the shares of `meshsim plan --shard I/N` into the
// plan one machine computes: the same plan.json bytes and the same table. A directory stands for the
// shares in it (plan.shard-I-of-N.json), which is what an Indexed Job leaves on its volume.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { mergeShards, type NamedShard, PlanInputError, parseShare, planTable } from '../../plan/index.ts';
import { resultsJson } from '../../report/index.ts';
import { UsageError } from '../errors.ts';
import { outFile, wrote } from '../outputs.ts';

export interface MergeArgs {
  inputs: string[];
  out?: string;
  json?: boolean;
}

const SHARE_FILE = /^plan\.shard-\d+-of-\d+\.json$/;

function files(inputs: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of inputs) {
    let dir: boolean;
    try {
      dir = statSync(p).isDirectory();
    } catch {
      throw new UsageError(`${p}: no such file or directory, expected a share of plan --shard`);
    }
    if (!dir) {
      out.push(p);
      continue;
    }
    const found = readdirSync(p)
      .filter((f) => SHARE_FILE.test(f))
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    if (found.length === 0)
      throw new UsageError(`${p}: found no plan.shard-I-of-N.json in this directory, expected the shares`);
    for (const f of found) out.push(join(p, f));
  }
  return out;
}

function read(file: string): NamedShard {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    return { name: file, value: parseShare(text) };
  } catch {
    throw new UsageError(`${file}: found text that is not JSON, expected a share written by plan --shard`);
  }
}

export function mergeCommand(a: MergeArgs): number {
  const out = outFile(a.out, 'plan.json');
  try {
    let plan: ReturnType<typeof mergeShards>;
    try {
      plan = mergeShards(files(a.inputs).map(read));
    } catch (e) {
      if (e instanceof PlanInputError) throw new UsageError(e.message);
      throw e;
    }
    const json = resultsJson(plan);
    out?.commit(json);
    process.stdout.write(a.json ? json : `${planTable(plan)}\n`);
    if (out) wrote(out.path);
    return 0;
  } finally {
    out?.discard();
  }
}
