// One mesh benchmark case in a fresh process (so peak memory is this case's alone):
// `node --import tsx bench/mesh-one.ts <scenario> <architecture>` (bench:mesh runs it compiled,
// dist/bench/mesh-one.mjs: bench/bundle.ts); prints one JSON line.

import type { Architecture } from '../src/scenario/index.ts';
import { loadScenario } from '../src/scenario/index.ts';
import { simulateArchitecture } from '../src/simulate/index.ts';

const [file, arch] = process.argv.slice(2) as [string, Architecture];
const tLoad = performance.now();
const s = loadScenario(file);
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const a = simulateArchitecture(s, arch);
const seconds = (performance.now() - t0) / 1000;
// CPU time as well as wall time: on a shared machine the wall time says as much about the neighbours.
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const requests = a.entryPoints.reduce((n, e) => n + e.offered.mean, 0) * s.simulation.replications;
console.log(
  JSON.stringify({
    scenario: s.metadata.name,
    architecture: arch,
    simulated_seconds: s.simulation.duration * s.simulation.replications,
    load_seconds: Number(((t0 - tLoad) / 1000).toFixed(2)),
    wall_seconds: Number(seconds.toFixed(2)),
    cpu_seconds: Number(cpuSeconds.toFixed(2)),
    events: a.events,
    events_per_s: Math.round(a.events / seconds),
    events_per_cpu_s: Math.round(a.events / cpuSeconds),
    requests_measured: requests,
    simulated_requests_per_wall_s: Math.round(requests / seconds),
    peak_rss_mib: Math.round(process.resourceUsage().maxRSS / 1024),
    pods: a.placement.pods,
    nodes: a.placement.nodes,
  }),
);
