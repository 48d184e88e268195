// Monthly cost by namespace (the OpenCost/Kubecost allocation view): sidecars are billed to their pod's
// namespace, ztunnel, istio-cni and istiod to istio-system, so the chart shows who pays for the mesh in
// each architecture. Many namespaces: the costliest by name, the rest as one bar of their mean.
import { max } from 'd3-array';
import type { Results } from '../../simulate/index.ts';
import { caption } from './caption.ts';
import { type Row, tableRows, topLevel, values } from './spec.ts';
import { architectureScale } from './style.ts';
import type { ChartSpec } from './types.ts';

/** Namespaces shown by name; the others are summed. */
export const TOP_NAMESPACES = 10;

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

/** architecture -> namespace -> US$/month, read structurally from results' `cost` (src/cost's breakdown). */
export function namespaceCosts(
  input: unknown,
): Array<{ architecture: string; byNamespace: Map<string, number> }> {
  const cost = isObj(input) && Array.isArray(input.cost) ? input.cost : [];
  const out: Array<{ architecture: string; byNamespace: Map<string, number> }> = [];
  for (const c of cost) {
    if (!isObj(c) || !isObj(c.allocation) || !Array.isArray(c.allocation.byNamespace)) continue;
    const m = new Map<string, number>();
    for (const n of c.allocation.byNamespace)
      if (
        isObj(n) &&
        typeof n.namespace === 'string' &&
        typeof n.total === 'number' &&
        Number.isFinite(n.total)
      )
        m.set(n.namespace, n.total);
    out.push({ architecture: String(c.architecture), byNamespace: m });
  }
  return out;
}

export function costNamespaceCharts(r: Results): ChartSpec[] {
  const costs = namespaceCosts(r);
  if (costs.length === 0 || costs.every((c) => c.byNamespace.size === 0)) return [];
  const archs = costs.map((c) => c.architecture);
  const all = [...new Set(costs.flatMap((c) => [...c.byNamespace.keys()]))];
  const most = (n: string) => max(costs, (c) => c.byNamespace.get(n) ?? 0) ?? 0;
  all.sort((a, b) => most(b) - most(a) || a.localeCompare(b));
  const named = all.length > TOP_NAMESPACES + 1 ? all.slice(0, TOP_NAMESPACES) : all;
  const others = all.slice(named.length);
  // The rest as the mean of one of them: their sum would dwarf every named bar (the table lists all).
  const otherLabel = `${others.length} other namespaces (mean of one)`;
  const rows: Row[] = [];
  for (const c of costs) {
    for (const n of named)
      rows.push({ architecture: c.architecture, namespace: n, dollars: c.byNamespace.get(n) ?? 0 });
    if (others.length > 0)
      rows.push({
        architecture: c.architecture,
        namespace: otherLabel,
        dollars: others.reduce((s, n) => s + (c.byNamespace.get(n) ?? 0), 0) / others.length,
      });
  }
  const order = [...named, ...(others.length > 0 ? [otherLabel] : [])];
  const title = 'Monthly cost by namespace (allocated requests and use), per architecture';
  const spec = topLevel(title, caption(r), {
    data: { values: values(rows) },
    width: 420,
    height: { step: 10 },
    mark: 'bar',
    encoding: {
      y: { field: 'namespace', type: 'nominal', sort: order, title: null, axis: { labelLimit: 220 } },
      yOffset: { field: 'architecture', type: 'nominal', sort: archs },
      x: { field: 'dollars', type: 'quantitative', title: 'US$ per month' },
      color: { field: 'architecture', type: 'nominal', sort: archs, scale: architectureScale(archs) },
      tooltip: [
        { field: 'namespace', type: 'nominal' },
        { field: 'architecture', type: 'nominal' },
        { field: 'dollars', type: 'quantitative', title: 'US$ per month', format: ',.0f' },
      ],
    },
  });
  return [
    {
      name: 'cost-namespace',
      title,
      spec,
      table: {
        columns: ['namespace', ...archs.map((a) => `${a} (US$/month)`)],
        rows: tableRows(all.map((n) => [n, ...costs.map((c) => c.byNamespace.get(n) ?? 0)])),
      },
    },
  ];
}
