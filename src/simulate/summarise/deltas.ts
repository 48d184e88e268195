// Side-by-side differences: every architecture against no mesh, and ambient against sidecar.
import { MESH_COMPONENTS } from '../../mesh/index.ts';
import type { ArchResult, Delta } from './results.ts';

function metrics(a: ArchResult): Array<[string, number]> {
  const mesh = a.components.filter((c) => MESH_COMPONENTS.includes(c.component));
  const out: Array<[string, number]> = [
    ['cpu used (cores)', a.totals.cpuUsed.mean],
    ['cpu requested (cores)', a.totals.cpuRequested],
    ['memory used (bytes)', a.totals.memoryUsed.mean],
    ['memory requested (bytes)', a.totals.memoryRequested],
    ['mesh cpu used (cores)', mesh.reduce((s, c) => s + c.cpu.used.mean, 0)],
    ['mesh memory used (bytes)', mesh.reduce((s, c) => s + c.memory.used.mean, 0)],
    ['nodes used', a.placement.nodesUsed],
  ];
  for (const e of a.entryPoints) {
    out.push([`${e.name} p50 (s)`, e.latency.p50.mean]);
    out.push([`${e.name} p99 (s)`, e.latency.p99.mean]);
  }
  return out;
}

export function deltas(archs: ArchResult[]): Delta[] {
  const by = new Map(archs.map((a) => [a.architecture, a]));
  const pairs: Array<[string, string]> = [];
  for (const a of archs)
    if (a.architecture !== 'none' && by.has('none')) pairs.push(['none', a.architecture]);
  if (by.has('sidecar') && by.has('ambient')) pairs.push(['sidecar', 'ambient']);
  const out: Delta[] = [];
  for (const [from, to] of pairs) {
    const base = new Map(metrics(by.get(from as ArchResult['architecture'])!));
    for (const [metric, value] of metrics(by.get(to as ArchResult['architecture'])!)) {
      const b = base.get(metric) ?? 0;
      out.push({
        metric,
        from: from as Delta['from'],
        to: to as Delta['to'],
        base: b,
        value,
        change: value - b,
        percent: b === 0 ? null : ((value - b) / b) * 100,
      });
    }
  }
  return out;
}
