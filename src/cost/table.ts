// The aligned cost table printed under `meshsim run`'s comparison.
import type { CostBreakdown } from './breakdown.ts';
import { type CostDelta, costDeltaBetween } from './cost-deltas.ts';
import { savings } from './savings.ts';

const HEADER = [
  'architecture',
  'nodes',
  '$/month',
  'mesh share',
  'idle $',
  'cross-zone $',
  'saving vs sidecar',
];

export const dollars = (x: number) => x.toFixed(2);
export const pct = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);

/**
 * `vs sidecar` is the saving against the sidecar architecture's monthly total, when it was compared;
 * "(n.s.)" when the paired interval of the difference (`deltas`, cost-deltas.ts) spans zero.
 */
export function costTable(cost: readonly CostBreakdown[], deltas: readonly CostDelta[] = []): string {
  const ns = (c: CostBreakdown) => {
    const d = costDeltaBetween(deltas, 'sidecar', c.architecture);
    return d && !d.significant ? ' (n.s.)' : '';
  };
  const base = cost.find((c) => c.architecture === 'sidecar')?.monthly.total;
  const rows = cost.map((c) => [
    c.architecture,
    `${c.nodes.count} (${c.nodes.used} used)`,
    dollars(c.monthly.total),
    pct(c.mesh.share),
    dollars(c.allocation.idle),
    dollars(c.monthly.crossZone),
    c.architecture === 'sidecar' ? '-' : `${pct(savings(base, c.monthly.total))}${ns(c)}`,
  ]);
  return alignTable([HEADER, ...rows]);
}

/** First column left-aligned, the others right-aligned, two spaces apart. */
export function alignTable(rows: readonly string[][]): string {
  const widths: number[] = [];
  for (const r of rows) {
    r.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows
    .map((r) =>
      r
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
