import type { Results } from '../../simulate/index.ts';
import { eachResults } from './each.ts';
import { resourceChart } from './resources.ts';
import type { ChartSpec } from './types.ts';

export function cpuCharts(results: Results[]): ChartSpec[] {
  return eachResults(results, (r) =>
    resourceChart(r, {
      name: 'cpu',
      title: 'CPU by component: used vs requested, per architecture',
      what: 'CPU',
      unit: 'cores',
      used: (c) => c.cpu.used,
      requested: (c) => c.cpu.requested,
      scale: 1,
    }),
  );
}
