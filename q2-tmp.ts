import { parseScenario } from './src/scenario/index.ts';
import { simulateArchitecture } from './src/simulate/index.ts';
import { readFileSync } from 'node:fs';
const s = parseScenario(readFileSync(process.argv[2]!, 'utf8'), 'x.yaml');
const a = simulateArchitecture(s, 'sidecar');
for (const e of a.entryPoints) console.log(e.name, e.offered.mean, e.completed.mean, e.failed.mean, e.timedOut.mean, e.inFlight.mean, e.throughput.mean, e.latency.mean.mean);
console.log(JSON.stringify(a.placement.perNode.map(n=>[n.cpuUtilisation,n.cpuDemand,n.saturatedSeconds])));
console.log(JSON.stringify(a.components.map(c=>[c.component,c.cpuShare])));
console.log(JSON.stringify(a.busiestProxies.map(p=>[p.name,p.utilisation,p.meanWait,p.requestsPerSecond])));
