// Benchmarks the sim/ kernel against the reference engine in ../shared/anchors/des/js (typed-array heap
// variant), each case in a fresh process, 3 runs each (interleaved ours/reference), median reported.
// Prints one JSON line per run, then per case the medians, the ratio ours/reference and whether the target
// is met. Usage: tsx bench/sim.ts [runs]
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleBench } from './bundle.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const refBench = path.resolve(repoRoot, '..', 'shared', 'anchors', 'des', 'js', 'bench.js');
const runs = Number(process.argv[2] ?? 3);

interface Case {
  name: string;
  metric: 'events_per_s' | 'customers_per_s';
  target: number;
  /** null: no counterpart in the reference engine, ours only. */
  ref: { args: string[]; env: Record<string, string> } | null;
}
const cases: Case[] = [
  { name: 'hold', metric: 'events_per_s', target: 0.8, ref: { args: ['hold', 'soa'], env: {} } },
  {
    name: 'hold_n100000',
    metric: 'events_per_s',
    target: 0.8,
    ref: { args: ['hold', 'soa'], env: { HOLD_N: '100000' } },
  },
  { name: 'mmc', metric: 'customers_per_s', target: 0.4, ref: { args: ['mmc', 'soa'], env: {} } },
  // the processor-sharing processor: job completions per second, 256 jobs on 8 oversubscribed cores
  { name: 'ps_g16', metric: 'events_per_s', target: 0, ref: null },
  { name: 'ps_g64', metric: 'events_per_s', target: 0, ref: null },
  { name: 'ps_hop_g16', metric: 'events_per_s', target: 0, ref: null },
  { name: 'ps_hop_g64', metric: 'events_per_s', target: 0, ref: null },
];

type Result = Record<string, number | string>;

function runNode(args: string[], cwd: string, env: Record<string, string> = {}): Result {
  const out = execFileSync(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  const line = out.trim().split('\n').pop() ?? '{}';
  return JSON.parse(line) as Result;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

// Ours runs compiled as the bin runs meshsim (bench/bundle.ts): plain JavaScript, as the reference engine.
const bench = await bundleBench();
const haveRef = existsSync(refBench);
if (!haveRef) console.error(`reference engine not found at ${refBench}; measuring ours only`);

for (const c of cases) {
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let r = 0; r < runs; r++) {
    const o = runNode([path.join(bench, 'sim-one.mjs'), c.name], repoRoot);
    console.log(JSON.stringify({ engine: 'meshsim-sim', run: r, ...o }));
    ours.push(Number(o[c.metric]));
    if (haveRef && c.ref) {
      const t = runNode([refBench, ...c.ref.args], path.dirname(refBench), c.ref.env);
      console.log(JSON.stringify({ engine: 'reference-soa', run: r, ...t }));
      theirs.push(Number(t[c.metric]));
    }
  }
  const oursMedian = median(ours);
  const summary: Result = { summary: c.name, metric: c.metric, ours_median: Math.round(oursMedian) };
  if (haveRef && c.ref) {
    const refMedian = median(theirs);
    const ratio = oursMedian / refMedian;
    Object.assign(summary, {
      reference_median: Math.round(refMedian),
      ratio: Number(ratio.toFixed(3)),
      target: c.target,
      target_met: ratio >= c.target,
    });
  }
  console.log(JSON.stringify(summary));
}
