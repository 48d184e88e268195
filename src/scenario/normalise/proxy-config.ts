// A pod's `proxy.istio.io/config` annotation: the ProxyConfig overrides its sidecar's agent applies last.
import { parse } from 'yaml';
import type { Problems } from '../pending.ts';

const PROXY_CONFIG = 'proxy.istio.io/config';
const EXPECTED = 'a ProxyConfig in YAML or JSON, its concurrency an integer >= 0 (e.g. "concurrency: 2")';

/**
 * The `concurrency` (Envoy worker threads) the annotation sets, undefined where it sets none. pilot-agent
 * applies the annotation over the mesh default and any ProxyConfig resource (istio/istio 1.28.0
 * pilot/cmd/pilot-agent/config/config.go getMeshConfig, mesh.ApplyProxyConfig: the value unmarshalled as
 * a ProxyConfig in YAML); one it cannot read stops the agent, so it is refused here. Its other fields are
 * not modelled.
 */
export function annotatedConcurrency(
  annotations: Record<string, string> | undefined,
  at: PropertyKey[],
  problems: Problems,
): number | undefined {
  const text = annotations?.[PROXY_CONFIG];
  if (text === undefined) return undefined;
  let config: unknown;
  try {
    config = parse(text);
  } catch {
    config = undefined;
  }
  const path = [...at, 'annotations', PROXY_CONFIG];
  if (config === null || config === undefined || typeof config !== 'object' || Array.isArray(config)) {
    problems.add(path, EXPECTED);
    return undefined;
  }
  const c = (config as Record<string, unknown>).concurrency;
  if (c === undefined) return undefined;
  if (typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c > 1024) {
    problems.add(path, EXPECTED);
    return undefined;
  }
  return c;
}
