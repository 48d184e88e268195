// A whole `meshsim run` of a scenario in a fresh process, as a user runs it: every architecture it
// compares and every replication, handed to a pool of worker threads (one per core, run-pool.ts), so
// independent simulations use both cores. Prints one JSON line like mesh-one.ts, the architectures summed.
// Usage: node --import tsx bench/run-one.ts <scenario> [workers] (bench:mesh runs it compiled,
// dist/bench/run-one.mjs: bench/bundle.ts).
import { availableParallelism } from 'node:os';
import { loadScenario } from '../src/scenario/index.ts';
import { replicationPool, simulateWith } from '../src/simulate/index.ts';

const [file, workersArg] = process.argv.slice(2) as [string, string | undefined];
const workers = workersArg ? Number(workersArg) : availableParallelism();
const s = loadScenario(file);
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const pool = replicationPool(workers);
const r = await simulateWith(s, pool, { file });
await pool.close();
const seconds = (performance.now() - t0) / 1000;
// Process CPU time counts every thread: CPU seconds / wall seconds near the worker count means the
// cores were ours.
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const events = r.architectures.reduce((n, a) => n + a.events, 0);
const requests = r.architectures.reduce(
  (n, a) => n + a.entryPoints.reduce((m, e) => m + e.offered.mean, 0) * s.simulation.replications,
  0,
);
console.log(
  JSON.stringify({
    scenario: s.metadata.name,
    architecture: r.architectures.map((a) => a.architecture).join('+'),
    workers,
    wall_seconds: Number(seconds.toFixed(2)),
    cpu_seconds: Number(cpuSeconds.toFixed(2)),
    events,
    events_per_s: Math.round(events / seconds),
    events_per_cpu_s: Math.round(events / cpuSeconds),
    requests_measured: requests,
    simulated_requests_per_wall_s: Math.round(requests / seconds),
    peak_rss_mib: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
