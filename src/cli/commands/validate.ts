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
    count(s.traffic.length, 'entry point'),
    count(s.events.length, 'event'),
  ];
  process.stdout.write(`${a.file}: valid (${s.metadata.name}: ${parts.join(', ')})\n`);
  return 0;
}
