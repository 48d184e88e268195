import { availableParallelism } from 'node:os';
import { describeEstimate, estimateRun } from '../../budget/index.ts';
import { count } from '../../format/index.ts';
import { loadScenario } from '../../scenario/index.ts';
import { checkScenarioFile } from '../outputs.ts';

export function validateCommand(a: { file: string }): number {
  checkScenarioFile(a.file);
  const s = loadScenario(a.file);
  const pods = s.services.reduce((n, x) => n + x.replicas, 0);
  const nodes = s.cluster.nodePools.reduce((n, p) => n + p.count, 0);
  const parts = [
    count(nodes, 'node'),
    count(s.services.length, 'service'),
    count(pods, 'pod'),
    ...(s.cluster.daemonSets ? [count(s.cluster.daemonSets.length, 'DaemonSet')] : []),
    count(s.traffic.length, 'entry point'),
    count(s.events.length, 'event'),
  ];
  process.stdout.write(`${a.file}: valid (${s.metadata.name}: ${parts.join(', ')})\n`);
  // What `meshsim run` would cost with its default workers (the cores), before anyone waits for it.
  const workers = availableParallelism();
  const precise = s.simulation.precision !== undefined;
  process.stdout.write(`${describeEstimate(estimateRun(s, workers), workers, precise)}\n`);
  return 0;
}
