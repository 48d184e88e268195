// The estimate in words: what the refusal quotes, and the line `meshsim validate` prints so that a run's
// cost is known before it starts.
import type { RunEstimate } from './estimate.ts';

const GB = 1e9;

export function size(bytes: number): string {
  if (bytes >= 1e12) return `${(bytes / 1e12).toPrecision(3)} TB`;
  if (bytes >= GB) return `${(bytes / GB).toPrecision(3)} GB`;
  return `${Math.max(1, Math.round(bytes / 1e6))} MB`;
}

export function duration(seconds: number): string {
  if (seconds >= 86400 * 365) return `${(seconds / (86400 * 365)).toPrecision(3)} years`;
  if (seconds >= 86400) return `${(seconds / 86400).toPrecision(3)} days`;
  if (seconds >= 3600) return `${(seconds / 3600).toPrecision(3)} hours`;
  if (seconds >= 90) return `${Math.ceil(seconds / 60)} minutes`;
  return `${Math.max(1, Math.ceil(seconds))} s`;
}

export function count(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toPrecision(3)} million` : Math.round(n).toLocaleString('en-US');
}

/**
 * One line: simulations, events, time with `workers` at once and peak memory, as estimated for the
 * reference machine. `upTo`: the simulations are a bound (simulation.precision stops when it is met).
 */
export function describeEstimate(e: RunEstimate, workers: number, upTo: boolean): string {
  const sims = `${upTo ? 'up to ' : ''}${e.simulations} simulation${e.simulations === 1 ? '' : 's'}`;
  const threads = Math.max(1, Math.min(workers, e.simulations));
  return (
    `estimate: ${sims}, ${count(e.events)} events, about ${duration(e.wallSeconds)} on ` +
    `${threads} worker thread${threads === 1 ? '' : 's'} and ${size(e.memory)} of memory ` +
    '(speed of the 2-core reference machine: docs/scale.md)'
  );
}
