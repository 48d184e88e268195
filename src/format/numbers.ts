// How meshsim writes numbers and counts for people, in the terminal and in chart labels alike: a few
// significant digits (a simulation's estimate is not exact to the millimicro), thousands grouped, and
// nouns that agree with their count ("1 replication", "3 replications").

/** Significant digits of a measured quantity: enough to compare architectures, no false precision. */
export const SIGNIFICANT_DIGITS = 3;

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/**
 * `x` with `digits` significant digits below 1,000 and as a grouped integer from 1,000 on:
 * 0.06021 -> "0.0602", 0.2 -> "0.200" (the zeros say how precise it is), 123.45 -> "123.5",
 * 3791.599 -> "3,792", 5 -> "5".
 */
export function formatNumber(x: number, digits = SIGNIFICANT_DIGITS): string {
  // NaN is "no value" (an entry point that completed nothing has no latency): a dash, as in the tables.
  if (Number.isNaN(x)) return '-';
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1000 || Number.isInteger(x)) return grouped.format(x);
  if (a >= 100) return x.toFixed(1);
  return x.toPrecision(digits);
}

/** A count and its noun: count(1, 'node') -> "1 node", count(1200, 'pod') -> "1,200 pods". */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${grouped.format(n)} ${n === 1 ? singular : plural}`;
}

/**
 * The same rule for vega-lite labels and tooltips (d3-format): four significant digits, grouped,
 * trailing zeros trimmed, so an axis or bar label reads "3,792", never "3791.599".
 */
export const D3_NUMBER_FORMAT = ',.4~r';
