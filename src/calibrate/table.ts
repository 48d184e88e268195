import { fmt } from '../report/index.ts';
import type { CalibrationResults } from './run.ts';

export function calibrationTable(r: CalibrationResults): string {
  const head = ['figure', 'published', 'simulated', 'error', '', 'source'];
  const rows = r.calibration.map((c) => [
    c.figure,
    `${fmt(c.published)} ${c.unit}`,
    `${fmt(c.simulated)} ${c.unit}`,
    `${c.error >= 0 ? '+' : ''}${(c.error * 100).toFixed(1)}%`,
    c.ok ? 'ok' : 'OUT',
    c.source,
  ]);
  const all = [head, ...rows];
  const w = head.map((_, i) => Math.max(...all.map((x) => x[i]!.length)));
  const lines = all.map((x) =>
    x
      .map((cell, i) => (i === 0 || i === 5 ? cell.padEnd(w[i]!) : cell.padStart(w[i]!)))
      .join('  ')
      .trimEnd(),
  );
  const bad = r.calibration.filter((c) => !c.ok).length;
  return [
    ...lines,
    '',
    bad === 0
      ? `all ${rows.length} figures within ${r.tolerance * 100} %`
      : `${bad} figure(s) outside ${r.tolerance * 100} %`,
  ].join('\n');
}
