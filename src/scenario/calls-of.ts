// The calls a service's pods make per request, over its routes and versions: what the pre-run estimate,
// the checks and the proxies' configuration size read instead of the service's own `calls` alone.
import type { Call, EntryPoint, RequestRoute, Service } from './types.ts';

/** A call and the share of requests that make it (its count applies within that share). */
export interface SharedCall {
  call: Call;
  share: number;
}

function mix(parts: Array<{ weight: number; calls: Call[] }>): SharedCall[] {
  const total = parts.reduce((a, p) => a + p.weight, 0);
  return parts.flatMap((p) => p.calls.map((call) => ({ call, share: total > 0 ? p.weight / total : 0 })));
}

const ofRoutes = (routes: RequestRoute[]) => mix(routes);

/**
 * The calls of one request to `svc`: its routes by weight, else its versions by weight (by replicas
 * without weights: how kube-proxy splits), else its own calls. A call shared by versions that keep the
 * service's calls appears once per version, with that version's share.
 */
export function sharedCalls(svc: Service): SharedCall[] {
  if (svc.routes) return ofRoutes(svc.routes);
  const vs = svc.versions;
  if (vs) {
    const weighted = vs.every((v) => v.weight !== undefined);
    return mix(vs.map((v) => ({ weight: weighted ? v.weight! : v.replicas, calls: v.calls })));
  }
  return svc.calls.map((call) => ({ call, share: 1 }));
}

/** The calls an entry point's routes make at its target (empty without routes). */
export function entryRouteCalls(e: EntryPoint): SharedCall[] {
  return e.routes ? ofRoutes(e.routes) : [];
}

/** Every call a service's pods may make (its own, its versions', its routes'), each once. */
export function allCalls(svc: Service): Call[] {
  return [
    ...new Set([
      ...svc.calls,
      ...(svc.versions ?? []).flatMap((v) => v.calls),
      ...(svc.routes ?? []).flatMap((r) => r.calls),
    ]),
  ];
}
