import type { Results } from '../../simulate/index.ts';
import { eachResults } from './each.ts';
import { resourceChart } from './resources.ts';
import type { ChartSpec } from './types.ts';

const MiB = 1024 * 1024;

export function memoryCharts(results: Results[]): ChartSpec[] {
  return eachResults(results, (r) =>
    resourceChart(r, {
      name: 'memory',
      title: 'Memory by component: used vs requested, per architecture',
      what: 'memory',
      unit: 'MiB',
      used: (c) => c.memory.used,
      requested: (c) => c.memory.requested,
      scale: MiB,
    }),
  );
}
