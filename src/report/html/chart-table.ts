import type { ChartTable } from '../charts/index.ts';
import { escapeHtml } from './escape.ts';

// Four significant digits without padding zeros: 0.006, 3.95, 0.1535.
const show = (x: number) =>
  Number.isInteger(x) || !Number.isFinite(x) ? String(x) : String(Number(x.toPrecision(4)));

const cell = (v: string | number) =>
  typeof v === 'number' ? `<td class="num">${escapeHtml(show(v))}</td>` : `<td>${escapeHtml(v)}</td>`;

/** The numbers of a chart, beneath it: what a screen reader, a copy-paste or a colour-blind reader uses. */
export function chartTableHtml(t: ChartTable): string {
  const head = t.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const body = t.rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('\n');
  return `<table class="numbers"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}
