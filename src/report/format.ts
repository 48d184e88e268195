// Number formatting with units, shared by the table and the charts (the rule itself is src/format's,
// which the command line uses too).
import { formatNumber } from '../format/index.ts';

const MiB = 1024 * 1024;

export const fmt = (x: number, digits = 3): string => formatNumber(x, digits);

export const cores = (x: number) => fmt(x);
export const mib = (x: number) => fmt(x / MiB);
export const ms = (x: number) => fmt(x * 1e3);

export function percent(base: number, value: number): string {
  if (base === 0) return value === 0 ? '' : '(new)';
  const p = ((value - base) / base) * 100;
  if (Math.abs(p) < 0.05) return '(+0%)';
  return `(${p > 0 ? '+' : ''}${p.toFixed(1)}%)`;
}
