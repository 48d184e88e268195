// Runs bundled scenarios at their shipped settings and prints each headline difference (every
// architecture against no mesh, ambient against sidecar: entry-point p50 and p99, CPU, memory, monthly
// cost) with its paired 95 % interval and whether it is significant, then the count and the wall time.
//   npx tsx scripts/significance.ts [scenario.yaml ...] [--workers N] [--replications N] [--duration S]
// (--replications and --duration try other settings before they are written into a file).
// Without files: every scenarios/*.yaml but the scale ones (large, huge), which ship one replication.

import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { attachCost } from '../src/cost/index.ts';
import { headlineDeltas, significanceCount, significanceTable } from '../src/report/index.ts';
import { applyOverrides, loadScenario } from '../src/scenario/index.ts';
import { replicationPool, simulateWith } from '../src/simulate/index.ts';

const SCALE = new Set(['large.yaml', 'huge.yaml']);

const args = process.argv.slice(2);
const flag = (name: string): number | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args.splice(i, 2)[1]) : undefined;
};
const workers = flag('--workers') ?? Math.min(2, availableParallelism());
const replications = flag('--replications');
const duration = flag('--duration');
const files =
  args.length > 0
    ? args
    : readdirSync('scenarios')
        .filter((f) => f.endsWith('.yaml') && !SCALE.has(f))
        .sort()
        .map((f) => `scenarios/${f}`);

const summary: string[] = [];
const pool = replicationPool(workers);
try {
  for (const file of files) {
    const s = applyOverrides(loadScenario(file), { replications, duration });
    const t0 = Date.now();
    const results = attachCost(s, await simulateWith(s, pool, { file }));
    const wall = (Date.now() - t0) / 1e3;
    const ds = headlineDeltas(results);
    const { significant, total } = significanceCount(ds);
    const sim = results.scenario;
    const line = `${file}: ${significant}/${total} significant, ${sim.replications} replications of ${sim.duration} s (warm-up ${sim.warmup} s), ${wall.toFixed(1)} s wall with ${workers} workers`;
    process.stdout.write(`${significanceTable(ds)}\n${line}\n\n`);
    summary.push(line);
  }
} finally {
  await pool.close();
}
if (summary.length > 1) process.stdout.write(`${summary.join('\n')}\n`);
