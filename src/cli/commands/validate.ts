import { loadScenario } from '../../scenario/index.ts';
import { checkScenarioFile } from '../outputs.ts';

export function validateCommand(a: { file: string }): number {
  checkScenarioFile(a.file);
  const s = loadScenario(a.file);
  const pods = s.services.reduce((n, x) => n + x.replicas, 0);
  const nodes = s.cluster.nodePools.reduce((n, p) => n + p.count, 0);
  process.stdout.write(
    `${a.file}: valid (${s.metadata.name}: ${nodes} nodes, ${s.services.length} services, ${pods} pods, ` +
      `${s.traffic.length} entry points, ${s.events.length} events)\n`,
  );
  return 0;
}
