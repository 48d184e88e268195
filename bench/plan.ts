// Benchmarks `meshsim plan` on scenarios/three-tier.yaml: 4 instance types x growth 1, 2, 5, 10 x the
// scenario's architectures minus as-labelled (48 search chains), with 1 worker and with 2, and reports
// the wall times and the speed-up (target >= 1.7x on 2 cores) as JSON lines. It also checks that the two
// plans are byte-identical. The scenario's 30 s x 3 replications would make a plan of this size take
// many minutes; the benchmark measures the planner, so each simulation is shortened to 4 s (1 s warm-up)
// and 1 replication. Usage: tsx bench/plan.ts [duration seconds]
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { runPlan } from '../src/plan/index.ts';
import { resultsJson } from '../src/report/index.ts';
import { loadScenario } from '../src/scenario/index.ts';

const file = fileURLToPath(new URL('../scenarios/three-tier.yaml', import.meta.url));
const s = loadScenario(file);
s.simulation.duration = Number(process.argv[2] ?? 4);
s.simulation.warmup = 1;
s.simulation.replications = 1;

const options = {
  instanceTypes: ['m5.large', 'm5.xlarge', 'c6i.xlarge', 'n2-standard-4'],
  growth: [1, 2, 5, 10],
};
const TARGET = 1.7;

const runs: Array<{ workers: number; seconds: number; json: string }> = [];
for (const workers of [1, 2]) {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const { plan, stats } = await runPlan(s, options, { workers, file: 'scenarios/three-tier.yaml' });
  const seconds = (performance.now() - t0) / 1e3;
  // CPU time of every thread of this process: if it stays flat while the wall time does not halve, the
  // cores were busy with something else (the load average says what else was running).
  const cpu = process.cpuUsage(cpu0);
  const json = resultsJson(plan);
  runs.push({ workers, seconds, json });
  const feasible = plan.rows.filter((r) => r.feasible).length;
  process.stdout.write(
    `${JSON.stringify({
      bench: 'plan',
      workers,
      wallSeconds: Number(seconds.toFixed(2)),
      chains: plan.rows.length,
      feasible,
      simulations: stats.simulations,
      simulationsPerSecond: Number((stats.simulations / seconds).toFixed(2)),
      cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)),
      loadAverage1m: Number(loadavg()[0]!.toFixed(2)),
      cores: availableParallelism(),
    })}\n`,
  );
}
const [one, two] = runs as [(typeof runs)[0], (typeof runs)[0]];
const speedup = one.seconds / two.seconds;
process.stdout.write(
  `${JSON.stringify({
    bench: 'plan',
    speedup: Number(speedup.toFixed(2)),
    target: TARGET,
    met: speedup >= TARGET,
    identical: one.json === two.json,
    duration: s.simulation.duration,
  })}\n`,
);
