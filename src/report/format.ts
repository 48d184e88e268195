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

/**
 * A mean with its 95 % interval: "13" when the interval is a point, "5.2 ±1.1" when symmetric, "0 [0,
 * 0.12]" when clipped at zero (counts and rates cannot go below it).
 */
export function withInterval(
  mean: number,
  e: { lo: number; hi: number; half: number } | undefined,
  show: (x: number) => string = fmt,
): string {
  if (!e || !(e.hi > e.lo)) return show(mean);
  const below = mean - e.lo;
  const above = e.hi - mean;
  if (Math.abs(below - above) <= 1e-9 * Math.max(Math.abs(mean), e.half))
    return `${show(mean)} ±${show(e.half)}`;
  return `${show(mean)} [${show(e.lo)}, ${show(e.hi)}]`;
}
