// A pod's `proxy.istio.io/config` annotation: the ProxyConfig overrides its sidecar's agent applies last.
import { parse } from 'yaml';
import type { Problems } from '../pending.ts';
import { MAX } from '../schema/fields.ts';

export const PROXY_CONFIG = 'proxy.istio.io/config';
const EXPECTED = `a ProxyConfig in YAML or JSON, its concurrency an integer from 0 to ${MAX.workers} (e.g. "concurrency: 2")`;

/**
 * What a proxy.istio.io/config value sets: its `concurrency` (Envoy worker threads; undefined where it
 * sets none) and the names of its other fields, which meshsim does not model; null where pilot-agent could
 * not read it. pilot-agent applies the annotation over the mesh default and any ProxyConfig resource
 * (istio/istio 1.28.0 pilot/cmd/pilot-agent/config/config.go getMeshConfig, mesh.ApplyProxyConfig: the
 * value unmarshalled as a ProxyConfig in YAML), and stops on one it cannot read. The bound on
 * concurrency is the scenario's for workers (schema/fields.ts MAX, an assumption).
 */
export function readProxyConfig(text: string): { concurrency?: number; others: string[] } | null {
  let config: unknown;
  try {
    config = parse(text);
  } catch {
    return null;
  }
  if (config === null || typeof config !== 'object' || Array.isArray(config)) return null;
  const { concurrency: c, ...rest } = config as Record<string, unknown>;
  const others = Object.keys(rest);
  if (c === undefined) return { others };
  if (typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c > MAX.workers) return null;
  return { concurrency: c, others };
}

/** The concurrency a workload's annotation sets (readProxyConfig), an unreadable one refused at its field. */
export function annotatedConcurrency(
  annotations: Record<string, string> | undefined,
  at: PropertyKey[],
  problems: Problems,
): number | undefined {
  const text = annotations?.[PROXY_CONFIG];
  if (text === undefined) return undefined;
  const config = readProxyConfig(text);
  if (!config) problems.add([...at, 'annotations', PROXY_CONFIG], EXPECTED);
  return config?.concurrency;
}
