// A whole `meshsim run` of a scenario in a fresh process, as a user runs it (src/cli/commands/run.ts: the
// scenario's check, the pre-run estimate, every architecture and replication on a pool of worker
// threads, one per core (run-pool.ts), cost, results.json written): prints one JSON line like
// mesh-one.ts, the architectures summed, after the command's tables.
// Usage: node --import tsx bench/run-one.ts <scenario> [workers] (bench:mesh runs it compiled,
// dist/bench/run-one.mjs: bench/bundle.ts).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '../src/cli/commands/run.ts';

interface Written {
  scenario: { name: string; replications: number };
  architectures: Array<{
    architecture: string;
    events: number;
    entryPoints: Array<{ offered: { mean: number } }>;
  }>;
}

const [file, workersArg] = process.argv.slice(2) as [string, string | undefined];
const workers = workersArg ? Number(workersArg) : availableParallelism();
const dir = mkdtempSync(join(tmpdir(), 'meshsim-bench-'));
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const code = await runCommand({ file, workers, out: dir });
const seconds = (performance.now() - t0) / 1000;
// Process CPU time counts every thread: CPU seconds / wall seconds near the worker count means the
// cores were ours.
const cpu = process.cpuUsage(cpu0);
const r = code === 0 ? (JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as Written) : null;
rmSync(dir, { recursive: true, force: true });
if (r === null) process.exit(code);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const events = r.architectures.reduce((n, a) => n + a.events, 0);
const replications = r.scenario.replications;
const requests = r.architectures.reduce(
  (n, a) => n + a.entryPoints.reduce((m, e) => m + e.offered.mean, 0) * replications,
  0,
);
console.log(
  JSON.stringify({
    scenario: r.scenario.name,
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
