// Results as JSON: numbers rounded to 6 significant digits, so files are stable, diffable and identical
// wherever they are produced (float noise in the last bits never reaches the file).
export function round(x: number): number {
  if (!Number.isFinite(x) || x === 0 || Number.isInteger(x)) return x;
  return Number(x.toPrecision(6));
}

export function resultsJson(value: unknown): string {
  return `${JSON.stringify(value, (_k, v) => (typeof v === 'number' ? round(v) : v), 2)}\n`;
}
