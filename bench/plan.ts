// Benchmarks `meshsim plan scenarios/three-tier.yaml` as a user runs it: the scenario's own simulation
// settings (30 s, 3 replications), its default node types, on every core. Two cases, each in a fresh
// process: the default plan (growth 1; target under 60 s) and `--growth 1,2,5,10` (target under 3 min).
// Prints one JSON line per case: wall time, simulations run / shared / reused, short screening runs, CPU seconds of the
// process, the load average (this machine is shared: a slow run with a high load average was crowded).
// Usage: tsx bench/plan.ts [default|growth ...] [--workers N] [--check-workers] [--profile]
//   --check-workers also plans with 1 worker and checks the JSON is byte-identical (takes longer).
//   --profile prints one line per simulation run (growth, architecture, nodes, replications, seconds,
//   start and end since the plan began): where the plan spends, and whether a worker idles.
import { spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { type Job, runner as makeRunner, type Runner, runPlan } from '../src/plan/index.ts';
import { resultsJson } from '../src/report/index.ts';
import { loadScenario } from '../src/scenario/index.ts';

const CASES = {
  default: { growth: [1], targetSeconds: 60 },
  growth: { growth: [1, 2, 5, 10], targetSeconds: 180 },
} as const;
type Case = keyof typeof CASES;

const file = fileURLToPath(new URL('../scenarios/three-tier.yaml', import.meta.url));
const args = process.argv.slice(2);
const flag = (name: string) => args.indexOf(name);
const workersAt = flag('--workers');
const workers = workersAt >= 0 ? Number(args[workersAt + 1]) : availableParallelism();

const baseRate = (s: Job['scenario']) => s.traffic.reduce((a, e) => a + e.rate, 0);

/** A runner that logs every simulation it runs, for --profile. */
function profiled(inner: Runner, t0: () => number, rate0: number): Runner {
  return {
    async run(job, signal) {
      const start = performance.now();
      const r = await inner.run(job, signal);
      const end = performance.now();
      process.stderr.write(
        `${JSON.stringify({
          growth: Number((baseRate(job.scenario) / rate0).toFixed(3)),
          arch: job.arch,
          nodes: job.scenario.cluster.nodePools[0]!.count,
          replications: r.replications,
          duration: job.scenario.simulation.duration,
          seconds: Number(((end - start) / 1e3).toFixed(2)),
          from: Number(((start - t0()) / 1e3).toFixed(1)),
          to: Number(((end - t0()) / 1e3).toFixed(1)),
        })}\n`,
      );
      return r;
    },
    close: () => inner.close(),
  };
}

async function one(name: Case, w: number): Promise<string> {
  const s = loadScenario(file);
  let t0 = performance.now();
  const runner = flag('--profile') >= 0 ? profiled(makeRunner(w), () => t0, baseRate(s)) : undefined;
  t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const load0 = loadavg()[0]!;
  const { plan, stats } = await runPlan(
    s,
    { growth: [...CASES[name].growth] },
    { workers: w, file: 'scenarios/three-tier.yaml', ...(runner ? { runner } : {}) },
  );
  await runner?.close();
  const seconds = (performance.now() - t0) / 1e3;
  // CPU time of every thread of this process: far below 2 x wall time means the cores were busy elsewhere.
  const cpu = process.cpuUsage(cpu0);
  const nodes = Object.fromEntries(
    plan.rows.map((r) => [
      `${r.growth}/${r.architecture}/${r.instanceType}`,
      r.nodes ?? r.binding.constraint,
    ]),
  );
  process.stdout.write(
    `${JSON.stringify({
      bench: 'plan',
      case: name,
      workers: w,
      wallSeconds: Number(seconds.toFixed(1)),
      targetSeconds: CASES[name].targetSeconds,
      met: seconds < CASES[name].targetSeconds,
      chains: plan.rows.length,
      simulations: stats.simulations,
      shared: stats.shared,
      reused: stats.reused,
      screens: stats.screens,
      cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(1)),
      loadAverage1m: { start: Number(load0.toFixed(2)), end: Number(loadavg()[0]!.toFixed(2)) },
      cores: availableParallelism(),
      nodes,
    })}\n`,
  );
  return resultsJson(plan);
}

const named = args.filter((a, i) => a in CASES && args[i - 1] !== '--workers') as Case[];
if (flag('--child') >= 0) {
  const json = await one(named[0]!, workers);
  if (flag('--check-workers') >= 0) {
    const single = await one(named[0]!, 1);
    process.stdout.write(
      `${JSON.stringify({ bench: 'plan', case: named[0], identicalFor1And2Workers: single === json })}\n`,
    );
  }
} else {
  // Each case in a fresh process: no warm JIT or caches carried from one to the next.
  for (const name of named.length > 0 ? named : (Object.keys(CASES) as Case[])) {
    const r = spawnSync(
      process.execPath,
      [
        ...process.execArgv,
        fileURLToPath(import.meta.url),
        name,
        '--child',
        '--workers',
        String(workers),
        ...(flag('--check-workers') >= 0 ? ['--check-workers'] : []),
        ...(flag('--profile') >= 0 ? ['--profile'] : []),
      ],
      { stdio: 'inherit' },
    );
    if (r.status !== 0) process.exitCode = r.status ?? 1;
  }
}
