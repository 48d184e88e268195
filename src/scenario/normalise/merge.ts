// Field-by-field merging of partial overrides over defaults, always into fresh objects so no default
// from defaults.ts is ever shared with (or mutated through) a Scenario.
import type { ResourceSpec } from '../types.ts';

type Partialish<T> = { [K in keyof T]?: T[K] | undefined };

/** `base` overlaid with the fields of `over` that are set; a deep copy of both. */
export function overlay<T extends object>(base: T, over: Partialish<T> | undefined): T {
  const out = structuredClone(base);
  if (!over) return out;
  for (const [k, v] of Object.entries(over)) {
    if (v !== undefined) (out as Record<string, unknown>)[k] = structuredClone(v);
  }
  return out;
}

export interface RawResources {
  requests?: { cpu?: number | undefined; memory?: number | undefined } | undefined;
  limits?: { cpu?: number | undefined; memory?: number | undefined } | undefined;
}

export function mergeResources(base: ResourceSpec, over: RawResources | undefined): ResourceSpec {
  const out: ResourceSpec = { requests: overlay(base.requests, over?.requests) };
  if (base.limits || over?.limits) out.limits = overlay(base.limits ?? {}, over?.limits);
  return out;
}
