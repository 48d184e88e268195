// The first screen of a plan: at each growth step, the cheapest cluster of each architecture and what it
// saves (or costs) against sidecar's cheapest, read from the plan's feasible points.
import type { PlanInput } from '../charts/index.ts';
import { escapeHtml } from './escape.ts';
import { archName } from './headline.ts';

const dollars = (x: number) => `$${Math.round(x).toLocaleString('en-US')}`;

export function planHeadlineHtml(plan: PlanInput[]): string {
  if (plan.length === 0) return '';
  const growths = [...new Set(plan.map((p) => p.growth))].sort((a, b) => a - b);
  const archs = [...new Set(plan.map((p) => p.architecture))];
  const lines = growths.map((g) => {
    const best = new Map<string, PlanInput>();
    for (const p of plan.filter((x) => x.growth === g)) {
      const cur = best.get(p.architecture);
      if (!cur || p.monthly < cur.monthly) best.set(p.architecture, p);
    }
    const sidecar = best.get('sidecar');
    const items = archs
      .filter((a) => best.has(a))
      .map((a) => {
        const p = best.get(a)!;
        const vs =
          sidecar && a !== 'sidecar' && sidecar.monthly > 0
            ? ` (${p.monthly <= sidecar.monthly ? '−' : '+'}${dollars(Math.abs(p.monthly - sidecar.monthly))}, ${p.monthly <= sidecar.monthly ? '−' : '+'}${Math.abs(((p.monthly - sidecar.monthly) / sidecar.monthly) * 100).toFixed(0)} % vs sidecar)`
            : '';
        return `<strong>${escapeHtml(`${archName(a)} ${dollars(p.monthly)}/month`)}</strong> <span class="detail">${escapeHtml(`${p.nodes} × ${p.instanceType}${vs}`)}</span>`;
      });
    return `<p class="headline-line"><span class="pair">${escapeHtml(`× ${g} load:`)}</span> ${items.join(', ')}</p>`;
  });
  return `<div class="first-screen"><div class="headline"><h3>Cheapest cluster per architecture</h3>${lines.join('\n')}</div></div>`;
}
