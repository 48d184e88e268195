import { aboutInput } from './about.ts';
import { calibrationCharts } from './calibration.ts';
import { costCharts } from './cost.ts';
import { costNamespaceCharts } from './cost-namespace.ts';
import { cpuCharts } from './cpu.ts';
import { calibrationOf, costOf, isResults, planOf, toleranceOf } from './inputs.ts';
import { latencyCharts } from './latency.ts';
import { latencyAddedCharts } from './latency-added.ts';
import { latencyCdfCharts } from './latency-cdf.ts';
import { memoryCharts } from './memory.ts';
import { nodesCharts } from './nodes.ts';
import { planCharts } from './plan.ts';
import { withBinding } from './plan-binding.ts';
import { timelineCharts } from './timeline.ts';
import type { ChartSpec } from './types.ts';

/** Every chart one loaded file supports, in report order; a chart whose data is absent is left out. */
export function chartsFor(input: unknown): ChartSpec[] {
  const out: ChartSpec[] = [];
  if (isResults(input)) {
    const r = [input];
    out.push(
      ...cpuCharts(r),
      ...memoryCharts(r),
      ...latencyAddedCharts(r),
      ...latencyCharts(r),
      ...latencyCdfCharts(r),
      ...timelineCharts(r),
      ...nodesCharts(r),
    );
  }
  const cost = costOf(input);
  if (cost) out.push(...costCharts(cost, aboutInput(input, 'cost')));
  if (isResults(input)) out.push(...costNamespaceCharts(input));
  const plan = planOf(input);
  if (plan) out.push(...planCharts(withBinding(plan, input), aboutInput(input, 'capacity plan')));
  const calibration = calibrationOf(input);
  if (calibration)
    out.push(...calibrationCharts(calibration, aboutInput(input, 'calibration'), toleranceOf(input)));
  return out;
}
