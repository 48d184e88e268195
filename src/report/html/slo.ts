// Each entry point's latency objectives, met or missed, per architecture. With many entry points the
// table keeps those nearest their target (every miss among them) and sums up the rest in one line.
import type { Results } from '../../simulate/index.ts';
import { fmt } from '../format.ts';
import { escapeHtml } from './escape.ts';
import { archName } from './headline.ts';

/** Rows shown before the rest are summed up. */
export const SLO_ROWS = 10;

const LABEL: Record<string, string> = { p50: 'p50', p99: 'p99', p999: 'p99.9' };
const ms = (s: number) => `${fmt(s * 1e3)} ms`;

interface SloRow {
  entry: string;
  quantile: string;
  target: number;
  /** Per architecture, in results order; null when that architecture has no such SLO. */
  cells: Array<{ value: number; met: boolean } | null>;
  /** Highest value / target over architectures: above 1 is a miss. */
  worst: number;
}

export function sloRows(r: Results): SloRow[] {
  const A = r.architectures;
  const rows: SloRow[] = [];
  for (const [i, e] of (A[0]?.entryPoints ?? []).entries())
    for (const s of e.slo) {
      const cells = A.map((a) => {
        const x = a.entryPoints[i]?.slo.find((y) => y.quantile === s.quantile);
        return x ? { value: x.value, met: x.met } : null;
      });
      const worst = Math.max(...cells.map((c) => (c && s.target > 0 ? c.value / s.target : 0)));
      rows.push({ entry: e.name, quantile: s.quantile, target: s.target, cells, worst });
    }
  return rows.sort((a, b) => b.worst - a.worst);
}

export function sloHtml(r: Results): string {
  const rows = sloRows(r);
  const A = r.architectures;
  if (rows.length === 0) return '<p class="slo-none">No entry point declares a latency SLO.</p>';
  const shown = rows.filter((x, i) => i < SLO_ROWS || x.cells.some((c) => c && !c.met));
  const rest = rows.slice(shown.length);
  const head = ['entry point', 'objective', ...A.map((a) => archName(a.architecture))]
    .map((h) => `<th>${escapeHtml(h)}</th>`)
    .join('');
  const body = shown.map((x) => {
    const cells = x.cells.map((c) =>
      c === null
        ? '<td>-</td>'
        : `<td class="num ${c.met ? 'pass' : 'fail'}">${escapeHtml(ms(c.value))} ${c.met ? '✓ pass' : '✗ fail'}</td>`,
    );
    return `<tr><td>${escapeHtml(x.entry)}</td><td>${escapeHtml(`${LABEL[x.quantile] ?? x.quantile} ≤ ${ms(x.target)}`)}</td>${cells.join('')}</tr>`;
  });
  if (rest.length > 0) {
    const worst = rest[0]!;
    body.push(
      `<tr class="rest"><td colspan="${2 + A.length}">${escapeHtml(
        `${rest.length} more objectives pass in every architecture (the nearest to its target: ${worst.entry} ${LABEL[worst.quantile] ?? worst.quantile} at ${Math.round(worst.worst * 100)} % of ${ms(worst.target)})`,
      )}</td></tr>`,
    );
  }
  const missed = rows.filter((x) => x.cells.some((c) => c && !c.met)).length;
  const summary = `${rows.length} objective${rows.length === 1 ? '' : 's'}, ${missed === 0 ? 'all met' : `${missed} missed in at least one architecture`}`;
  return `<p class="slo-summary">${escapeHtml(summary)}</p><div class="scroll"><table class="slo"><thead><tr>${head}</tr></thead><tbody>\n${body.join('\n')}\n</tbody></table></div>`;
}
