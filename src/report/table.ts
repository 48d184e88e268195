// The aligned comparison table `meshsim run` prints: one column per architecture, each value with its
// change against the first architecture (no mesh, when compared).
import type { Component } from '../cluster/index.ts';
import type { ArchResult, Estimate, Results } from '../simulate/index.ts';
import { cores, fmt, mib, ms, percent } from './format.ts';

interface Row {
  label: string;
  values: Array<number | null>;
  show: (x: number) => string;
  ci?: Array<Estimate | null>;
  /** Section heading: no values. */
  heading?: boolean;
}

function rows(r: Results): Row[] {
  const A = r.architectures;
  const out: Row[] = [];
  const head = (label: string) => out.push({ label, values: [], show: fmt, heading: true });
  const row = (
    label: string,
    f: (a: ArchResult) => number | null,
    show: (x: number) => string,
    ci?: (a: ArchResult) => Estimate | null,
  ) => out.push({ label, values: A.map(f), show, ci: ci ? A.map(ci) : undefined });
  const components = [...new Set(A.flatMap((a) => a.components.map((c) => c.component)))] as Component[];
  const comp = (a: ArchResult, c: Component) => a.components.find((x) => x.component === c);

  head('CPU used (cores, mean)');
  for (const c of components)
    row(
      `  ${c}`,
      (a) => comp(a, c)?.cpu.used.mean ?? null,
      cores,
      (a) => comp(a, c)?.cpu.used ?? null,
    );
  row(
    '  total',
    (a) => a.totals.cpuUsed.mean,
    cores,
    (a) => a.totals.cpuUsed,
  );
  head('CPU requested (cores)');
  for (const c of components) row(`  ${c}`, (a) => comp(a, c)?.cpu.requested ?? null, cores);
  row('  total', (a) => a.totals.cpuRequested, cores);
  head('Memory used (MiB)');
  for (const c of components) row(`  ${c}`, (a) => comp(a, c)?.memory.used.mean ?? null, mib);
  row('  total', (a) => a.totals.memoryUsed.mean, mib);
  head('Memory requested (MiB)');
  row('  total', (a) => a.totals.memoryRequested, mib);
  head('Cluster');
  row('  nodes used', (a) => a.placement.nodesUsed, fmt);
  row('  unschedulable pods', (a) => a.placement.unschedulable.length, fmt);
  // Per node in the results JSON (placement.perNode); here the fullest node, which decides whether a
  // pod still fits.
  const fullest = (a: ArchResult, r: 'cpu' | 'memory') =>
    Math.max(
      0,
      ...a.placement.perNode.map((n) => (n.allocatable[r] > 0 ? n.requested[r] / n.allocatable[r] : 0)),
    ) * 100;
  row('  fullest node, CPU requested (%)', (a) => fullest(a, 'cpu'), fmt);
  row('  fullest node, memory requested (%)', (a) => fullest(a, 'memory'), fmt);
  row(
    '  busiest node, CPU used (cores)',
    (a) => Math.max(0, ...a.placement.perNode.map((n) => n.cpuUsed)),
    fmt,
  );
  // The hottest nodes (node processors): where contention for cores stretches requests first.
  const hottest = (a: ArchResult, f: (n: ArchResult['placement']['perNode'][number]) => number) =>
    Math.max(0, ...a.placement.perNode.map(f));
  row('  hottest node, CPU utilisation (%)', (a) => hottest(a, (n) => (n.cpuUtilisation ?? 0) * 100), fmt);
  row(
    '  hottest node, CPU demand (% of allocatable)',
    (a) => hottest(a, (n) => (n.allocatable.cpu > 0 ? ((n.cpuDemand ?? 0) / n.allocatable.cpu) * 100 : 0)),
    fmt,
  );
  row('  hottest node, time saturated (s)', (a) => hottest(a, (n) => n.saturatedSeconds ?? 0), fmt);
  row(
    '  nodes saturated over 1 % of the time',
    (a) =>
      a.placement.perNode.filter(
        (n) => (n.saturatedSeconds ?? 0) > 0.01 * (r.scenario.duration - r.scenario.warmup),
      ).length,
    fmt,
  );
  row('  cross-zone traffic (MB/s)', (a) => a.network.crossZoneBytesPerSecond.mean / 1e6, fmt);
  for (const [i, e] of r.architectures[0]!.entryPoints.entries()) {
    head(`Entry point ${e.name} -> ${e.to} (latency in ms)`);
    const ep = (a: ArchResult) => a.entryPoints[i]!;
    row('  throughput (req/s)', (a) => ep(a).throughput.mean, fmt);
    row('  failed requests', (a) => ep(a).failed.mean, fmt);
    for (const q of ['p50', 'p90', 'p99', 'p999'] as const)
      row(
        `  ${q}`,
        (a) => ep(a).latency[q].mean,
        ms,
        (a) => ep(a).latency[q],
      );
  }
  return out;
}

export function comparisonTable(r: Results): string {
  const A = r.architectures;
  const lines: string[][] = [['', ...A.map((a) => a.architecture)]];
  for (const row of rows(r)) {
    if (row.heading) {
      lines.push([row.label, ...A.map(() => '')]);
      continue;
    }
    const base = row.values[0] ?? null;
    lines.push([
      row.label,
      ...row.values.map((v, i) => {
        if (v === null) return '-';
        const ci = row.ci?.[i];
        const pm = ci && ci.half > 0 ? ` ±${row.show(ci.half)}` : '';
        const pct = i > 0 && base !== null ? percent(base, v) : '';
        const delta = pct ? ` ${pct}` : '';
        return `${row.show(v)}${pm}${delta}`;
      }),
    ]);
  }
  const widths = lines[0]!.map((_, c) => Math.max(...lines.map((l) => l[c]!.length)));
  const s = r.scenario;
  const title = `meshsim ${r.meshsimVersion}: ${s.name} (seed ${s.seed}, ${s.replications} replication${s.replications === 1 ? '' : 's'}, ${fmt(s.duration - s.warmup)} s measured after ${fmt(s.warmup)} s warm-up; ± is the 95 % CI half-width, % is against ${A[0]!.architecture})`;
  const body = lines.map((l) =>
    l
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join('  ')
      .trimEnd(),
  );
  const warnings = A.flatMap((a) => a.warnings.map((w) => `warning (${a.architecture}): ${w}`));
  return [title, '', ...body, ...(warnings.length ? ['', ...warnings] : [])].join('\n');
}
