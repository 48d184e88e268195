// How well each architecture uses what it pays for, and the mesh's CPU in the unit of the Istio
// dashboards and performance pages: vCPU per 1,000 requests per second.
import type { CostBreakdown } from '../../cost/index.ts';
import type { ArchResult, Results } from '../../simulate/index.ts';
import { fmt } from '../format.ts';
import { escapeHtml } from './escape.ts';
import { archName } from './headline.ts';

/** The proxies that carry requests (istiod and istio-cni do not). */
const DATA_PLANE = new Set(['sidecar', 'ztunnel', 'waypoint']);

export interface Efficiency {
  architecture: string;
  /** Used / requested, in %. */
  cpu: number | null;
  memory: number | null;
  /** Allocated (charged to containers) / node cost, in %, when cost is attached. */
  allocated: number | null;
  /** Data-plane cores per 1,000 requests per second entering the mesh. */
  perEntryKrps: number | null;
  /** Data-plane cores per 1,000 calls per second, every hop counted (what one proxy handles). */
  perCallKrps: number | null;
}

const ratio = (a: number, b: number) => (b > 0 ? (a / b) * 100 : null);

export function efficiencyOf(a: ArchResult, cost?: CostBreakdown): Efficiency {
  const dp = a.components.filter((c) => DATA_PLANE.has(c.component)).reduce((s, c) => s + c.cpu.used.mean, 0);
  const entry = a.entryPoints.reduce((s, e) => s + e.throughput.mean, 0);
  const calls = a.edges.reduce((s, e) => s + e.rate.mean, 0);
  const has = a.components.some((c) => DATA_PLANE.has(c.component));
  const alloc = cost?.allocation;
  return {
    architecture: a.architecture,
    cpu: ratio(a.totals.cpuUsed.mean, a.totals.cpuRequested),
    memory: ratio(a.totals.memoryUsed.mean, a.totals.memoryRequested),
    allocated: alloc ? ratio(alloc.allocated, alloc.allocated + alloc.idle) : null,
    perEntryKrps: has && entry > 0 ? dp / (entry / 1000) : null,
    perCallKrps: has && calls > 0 ? dp / (calls / 1000) : null,
  };
}

export function efficiencyHtml(r: Results): string {
  const cost = (r as Results & { cost?: CostBreakdown[] }).cost;
  const rows = r.architectures.map((a) =>
    efficiencyOf(a, Array.isArray(cost) ? cost.find((c) => c?.architecture === a.architecture) : undefined),
  );
  const show = (x: number | null, unit = '') => (x === null ? '-' : `${fmt(x)}${unit}`);
  const head = [
    'architecture',
    'CPU used / requested',
    'memory used / requested',
    'node cost allocated to workloads',
    'data-plane vCPU per 1,000 entry req/s',
    'data-plane vCPU per 1,000 calls/s (every hop)',
  ];
  const body = rows.map(
    (e) =>
      `<tr><td>${escapeHtml(archName(e.architecture))}</td>${[
        show(e.cpu, ' %'),
        show(e.memory, ' %'),
        show(e.allocated, ' %'),
        show(e.perEntryKrps),
        show(e.perCallKrps),
      ]
        .map((c) => `<td class="num">${escapeHtml(c)}</td>`)
        .join('')}</tr>`,
  );
  return `<div class="scroll"><table class="efficiency"><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>\n${body.join('\n')}\n</tbody></table></div>
<p class="note">Data plane: sidecars, ztunnels and waypoints (istiod and istio-cni excluded). Istio's performance pages quote proxy vCPU per 1,000 requests per second through one proxy; a call crosses one or two proxies, so the per-call figure is the comparable one.</p>`;
}
