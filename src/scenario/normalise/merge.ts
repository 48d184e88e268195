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

/**
 * A container's resources as the API server stores them: a limit without its request requests the limit
 * (kubernetes/kubernetes v1.34 pkg/apis/core/v1/defaults.go SetDefaults_Pod), neither is nothing; only the
 * limits given are kept.
 */
export function containerResources(raw: RawResources | undefined): ResourceSpec {
  const limits: Partial<Record<'cpu' | 'memory', number>> = {};
  if (raw?.limits?.cpu !== undefined) limits.cpu = raw.limits.cpu;
  if (raw?.limits?.memory !== undefined) limits.memory = raw.limits.memory;
  const out: ResourceSpec = {
    requests: {
      cpu: raw?.requests?.cpu ?? limits.cpu ?? 0,
      memory: raw?.requests?.memory ?? limits.memory ?? 0,
    },
  };
  if (Object.keys(limits).length > 0) out.limits = limits;
  return out;
}
