// Number formatting with units, shared by the table and the charts.
const MiB = 1024 * 1024;

export function fmt(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (Number.isInteger(x)) return String(x);
  if (a >= 100) return x.toFixed(a >= 1000 ? 0 : 1);
  return x.toPrecision(digits);
}

export const cores = (x: number) => fmt(x);
export const mib = (x: number) => fmt(x / MiB);
export const ms = (x: number) => fmt(x * 1e3);

export function percent(base: number, value: number): string {
  if (base === 0) return value === 0 ? '' : '(new)';
  const p = ((value - base) / base) * 100;
  if (Math.abs(p) < 0.05) return '(+0%)';
  return `(${p > 0 ? '+' : ''}${p.toFixed(1)}%)`;
}
