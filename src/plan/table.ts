// The plan as text: one table per growth factor, the cheapest feasible choice of each architecture
// marked with `*`.
import { alignTable, dollars, pct } from '../cost/index.ts';
import { describeBinding } from './binding.ts';
import type { Plan, PlanRow } from './types.ts';
import { describeUndecided } from './undecided.ts';

const ms = (x: number) => (x * 1e3).toFixed(2);

function cells(r: PlanRow, entries: readonly string[]): string[] {
  const mark = r.cheapest ? ' *' : '';
  if (!r.feasible) {
    const closest = r.closest?.slo.map((x) => `${x.entryPoint} ${x.quantile} best ${ms(x.best)} ms`) ?? [];
    return [
      r.architecture,
      r.instanceType,
      'infeasible',
      '-',
      '-',
      r.closest ? pct(r.closest.cpuMax) : '-',
      ...entries.map(() => '-'),
      '-',
      `${r.reason ?? describeBinding(r.binding)}${closest.length > 0 ? ` (closest: ${closest.join(', ')})` : ''}`,
    ];
  }
  return [
    `${r.architecture}${mark}`,
    r.instanceType,
    `${r.nodes}${(r.undecided ?? []).length > 0 ? ' ?' : ''}`,
    dollars(r.monthly!),
    `${pct(r.cpuUtilisation!.mean)} (max ${pct(r.cpuUtilisation!.max)})`,
    r.cpuPlanned ? pct(r.cpuPlanned.max) : '-',
    ...entries.map((name) => {
      const e = r.entryPoints!.find((x) => x.name === name);
      return e ? ms(e.p99) : '-';
    }),
    r.architecture === 'sidecar' ? '-' : pct(r.savingsVsSidecar),
    describeBinding(r.binding),
  ];
}

export function planTable(plan: Plan): string {
  const entries = [...new Set(plan.rows.flatMap((r) => r.entryPoints?.map((e) => e.name) ?? []))];
  const header = [
    'architecture',
    'instance type',
    'nodes',
    '$/month',
    'node CPU (simulated)',
    'busiest (planned)',
    ...entries.map((e) => `${e} p99 ms`),
    'saving vs sidecar',
    'bound by (fails with one node fewer)',
  ];
  const s = plan.settings;
  const parts = [
    `meshsim plan: ${plan.scenario.name} (headroom ${pct(s.headroom)}, CPU target ${pct(s.cpuTarget)}, ` +
      `up to ${s.maxNodes} nodes; * = cheapest feasible choice of the architecture; ? = rests on a ` +
      'verdict its replications left open, see below)',
  ];
  for (const g of s.growth) {
    const rows = plan.rows.filter((r) => r.growth === g);
    parts.push(`\nGrowth x${g}\n${alignTable([header, ...rows.map((r) => cells(r, entries))])}`);
    const uneven = rows.filter((r) => r.feasible && r.cpuUtilisation!.max > s.cpuTarget);
    if (uneven.length > 0)
      parts.push(
        `note: the simulated busiest node is above the CPU target for ${uneven
          .map((r) => `${r.architecture}/${r.instanceType}`)
          .join(', ')}. The count sizes for each pod's share, by request, of its component's usage; ` +
          'pods that use more per requested core than their neighbours, or that L4 balancing (kube-proxy, ' +
          'ztunnel) hands most connections, load their node more. Requests that follow usage, or ' +
          'per-request balancing, fix that; more nodes do not reliably (src/plan/README.md).',
      );
    // Rows of plans merged from shards written before `undecided` existed have none.
    const open = rows.filter((r) => r.feasible && (r.undecided ?? []).length > 0);
    if (open.length > 0)
      parts.push(
        `note (?): judged on the mean of the replications, with a 95 % interval that still holds the limit: ${open
          .map(
            (r) =>
              `${r.architecture}/${r.instanceType} (${r.replications} replications): ${r.undecided
                .map(describeUndecided)
                .join('; ')}`,
          )
          .join('. ')}. More replications (--replications) would settle these, and may move the count.`,
      );
  }
  return parts.join('\n');
}
