// A stable fingerprint of a normalised scenario, carried by results so they name their inputs.
import { createHash } from 'node:crypto';
import type { Scenario } from './types.ts';

/** JSON with sorted keys; non-finite numbers (timeouts of Infinity) as strings, which JSON cannot hold. */
export function canonicalJson(v: unknown): string {
  if (typeof v === 'number') return Number.isFinite(v) ? JSON.stringify(v) : JSON.stringify(String(v));
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const entries = Object.entries(v)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

export function scenarioHash(s: Scenario): string {
  return createHash('sha256').update(canonicalJson(s)).digest('hex');
}
