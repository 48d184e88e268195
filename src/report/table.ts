// The aligned comparison table `meshsim run` prints: one column per architecture, each value with its
// change against the first architecture (no mesh, when compared).
import { max } from 'd3-array';
import type { Component } from '../cluster/index.ts';
import type { ArchResult, EntryResult, Estimate, Results } from '../simulate/index.ts';
import { worstEntries } from './charts/worst.ts';
import { cores, fmt, mib, ms, percent } from './format.ts';

interface Row {
  label: string;
  values: Array<number | null>;
  show: (x: number) => string;
  ci?: Array<Estimate | null>;
  /** The delta metric (results.deltas) this row's change against the first column is judged by. */
  delta?: string;
  /** Section heading: no values. */
  heading?: boolean;
}

function deltaOf(r: Results, from: ArchResult, to: ArchResult, metric: string) {
  return r.deltas.find(
    (d) => d.metric === metric && d.from === from.architecture && d.to === to.architecture,
  );
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
    delta?: string,
  ) => out.push({ label, values: A.map(f), show, ci: ci ? A.map(ci) : undefined, delta });
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
    'cpu used (cores)',
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
    (max(a.placement.perNode, (n) => (n.allocatable[r] > 0 ? n.requested[r] / n.allocatable[r] : 0)) ?? 0) *
    100;
  row('  fullest node, CPU requested (%)', (a) => fullest(a, 'cpu'), fmt);
  row('  fullest node, memory requested (%)', (a) => fullest(a, 'memory'), fmt);
  row('  busiest node, CPU used (cores)', (a) => max(a.placement.perNode, (n) => n.cpuUsed) ?? 0, fmt);
  // The hottest nodes (node processors): where contention for cores stretches requests first.
  const hottest = (a: ArchResult, f: (n: ArchResult['placement']['perNode'][number]) => number) =>
    max(a.placement.perNode, f) ?? 0;
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
  autoscalingRows(A, head, row);
  // Many entry points: the worst few one by one, the rest in one block of medians and maxima.
  const { shown, rest } = worstEntries(A);
  for (const i of shown) {
    const e = r.architectures[0]!.entryPoints[i]!;
    head(`Entry point ${e.name} -> ${e.to} (latency in ms)`);
    const ep = (a: ArchResult) => a.entryPoints[i]!;
    row('  throughput (req/s)', (a) => ep(a).throughput.mean, fmt);
    // Its load generators' CPU beside it: wanted above used is a client sending late. Results written
    // before clients had CPU carry none: the rows stay empty for them.
    const client = (a: ArchResult): Partial<EntryResult['clientCpu']> => ep(a).clientCpu ?? {};
    row('  client CPU used (cores)', (a) => client(a).used ?? null, cores);
    row('  client CPU wanted (cores)', (a) => client(a).wanted ?? null, cores);
    row('  client CPU throttled (cores)', (a) => client(a).throttled ?? null, cores);
    row('  failed requests', (a) => ep(a).failed.mean, fmt);
    for (const q of ['p50', 'p90', 'p99', 'p999'] as const)
      row(
        `  ${q}`,
        (a) => ep(a).latency[q].mean,
        ms,
        (a) => ep(a).latency[q],
        q === 'p50' || q === 'p99' ? `${e.name} ${q} (s)` : undefined,
      );
  }
  mixRows(A, head, row);
  if (rest.length > 0) {
    head(`The other ${rest.length} entry points (latency in ms)`);
    const over = (a: ArchResult, f: (e: ArchResult['entryPoints'][number]) => number) =>
      rest.map((i) => f(a.entryPoints[i]!)).sort((x, y) => x - y);
    const med = (xs: number[]) =>
      xs.length % 2 ? xs[xs.length >> 1]! : (xs[xs.length / 2 - 1]! + xs[xs.length / 2]!) / 2;
    row(
      '  throughput, total (req/s)',
      (a) => over(a, (e) => e.throughput.mean).reduce((s, x) => s + x, 0),
      fmt,
    );
    row('  failed requests, total', (a) => over(a, (e) => e.failed.mean).reduce((s, x) => s + x, 0), fmt);
    for (const q of ['p50', 'p99'] as const) {
      row(`  ${q}, median`, (a) => med(over(a, (e) => e.latency[q].mean)), ms);
      row(`  ${q}, highest`, (a) => over(a, (e) => e.latency[q].mean).at(-1)!, ms);
    }
  }
  return out;
}

/**
 * Versions behind a service (share of its calls each served, against its weight) and routes (share of
 * their owner's requests), when the scenario has them (results.mixes).
 */
function mixRows(
  A: ArchResult[],
  head: (label: string) => void,
  row: (label: string, f: (a: ArchResult) => number | null, show: (x: number) => string) => void,
): void {
  const m = A[0]!.mixes;
  if (!m) return;
  const share = <T extends { served: Estimate }>(all: T[], x: T) => {
    const total = all.reduce((n, y) => n + y.served.mean, 0);
    return total > 0 ? (x.served.mean / total) * 100 : null;
  };
  for (const svc of [...new Set(m.versions.map((v) => v.service))]) {
    const vs = m.versions.filter((v) => v.service === svc);
    const weights = vs.every((v) => v.weight !== null)
      ? `, weights ${vs.map((v) => v.weight).join('/')}`
      : '';
    head(`Versions of ${svc} (% of its calls served${weights})`);
    vs.forEach((v, i) => {
      row(
        `  ${v.version} (${v.replicas} pod${v.replicas === 1 ? '' : 's'})`,
        (a) => {
          const xs = a.mixes!.versions.filter((y) => y.service === svc);
          return share(xs, xs[i]!);
        },
        fmt,
      );
    });
  }
  for (const owner of [...new Set(m.routes.map((x) => x.owner))]) {
    const rs = m.routes.filter((x) => x.owner === owner);
    head(`Routes of ${owner} (% of its requests)`);
    rs.forEach((x, i) => {
      row(
        `  ${x.route} (weight ${fmt(x.weight)})`,
        (a) => {
          const ys = a.mixes!.routes.filter((y) => y.owner === owner);
          return share(ys, ys[i]!);
        },
        fmt,
      );
    });
  }
}

/**
 * Replicas of each autoscaled workload (istiod only where its HPA moved it): time-weighted over the
 * measured window, and at the end. Results written before autoscaling existed have none.
 */
function autoscalingRows(
  A: ArchResult[],
  head: (label: string) => void,
  row: (label: string, f: (a: ArchResult) => number | null, show: (x: number) => string) => void,
): void {
  const of = (a: ArchResult, owner: string) => (a.autoscaling ?? []).find((x) => x.owner === owner);
  const owners = [
    ...new Set(
      A.flatMap((a) =>
        // A `fixed` Deployment's replicas do not change (only its Pending pods' wait does: warnings).
        (a.autoscaling ?? []).filter(
          (x) => x.kind !== 'fixed' && (x.kind !== 'istiod' || x.replicas.max > x.replicas.start),
        ),
      ).map((x) => x.owner),
    ),
  ];
  if (owners.length === 0) return;
  head('Autoscaling (replicas)');
  for (const owner of owners) {
    // A Deployment without an HPA whose replicas the scenario's `scale` events set.
    const manual = A.some((a) => of(a, owner)?.kind === 'manual') ? ' (scale events)' : '';
    row(`  ${owner}${manual}, mean`, (a) => of(a, owner)?.replicas.mean ?? null, fmt);
    row(`  ${owner}${manual}, at the end`, (a) => of(a, owner)?.replicas.final ?? null, fmt);
  }
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
        // No value (an entry point that completed nothing has no latency).
        if (v === null || Number.isNaN(v)) return '-';
        const ci = row.ci?.[i];
        const pm = ci && ci.half > 0 ? ` ±${row.show(ci.half)}` : '';
        const pct = i > 0 && base !== null && !Number.isNaN(base) ? percent(base, v) : '';
        const judged = i > 0 && row.delta ? deltaOf(r, A[0]!, A[i]!, row.delta) : undefined;
        const ns = pct && judged && !judged.significant ? ' (n.s.)' : '';
        const delta = pct ? ` ${pct}${ns}` : '';
        return `${row.show(v)}${pm}${delta}`;
      }),
    ]);
  }
  const widths = lines[0]!.map((_, c) => max(lines, (l) => l[c]!.length) ?? 0);
  const s = r.scenario;
  const warm = s.warmupMethod === 'mser-5' ? 'MSER-5' : '';
  const title = `meshsim ${r.meshsimVersion}: ${s.name} (seed ${s.seed}, ${s.replications} replication${s.replications === 1 ? '' : 's'}, ${fmt(s.duration - s.warmup)} s measured after ${fmt(s.warmup)} s ${warm ? `${warm} ` : ''}warm-up; ± is the 95 % CI half-width, at least half a histogram bucket for quantiles; % is against ${A[0]!.architecture}, (n.s.) when its paired 95 % interval spans zero)`;
  const precision = s.precision
    ? [
        `precision ${fmt(s.precision.relative * 100)} % or ${fmt(s.precision.absolute * 1e3)} ms: ${s.precision.met ? 'met' : `not met, stopped at the maximum of ${s.precision.maxReplications} replications`}`,
      ]
    : [];
  const body = lines.map((l) =>
    l
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join('  ')
      .trimEnd(),
  );
  const warnings = A.flatMap((a) => a.warnings.map((w) => `warning (${a.architecture}): ${w}`));
  return [title, ...precision, '', ...body, ...(warnings.length ? ['', ...warnings] : [])].join('\n');
}
