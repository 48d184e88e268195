// How many service visits one entry request causes: the request itself plus every call it fans out to,
// counted through the call graph (`count` calls, or one call with a probability; calls name their callee by key). The graph is acyclic
// (the loader rejects cycles); the walk is iterative so its depth never grows with the graph.
import type { Call, EntryPoint, RequestRoute, Scenario, Service } from '../scenario/index.ts';

/** A mix of call lists, each drawn with its share: the expected calls per request (target, count). */
function mixed(parts: Array<{ share: number; calls: Call[] }>): Array<{ to: string; count: number }> {
  const total = parts.reduce((a, p) => a + p.share, 0);
  const by = new Map<string, number>();
  for (const p of parts)
    for (const c of p.calls)
      by.set(c.to, (by.get(c.to) ?? 0) + (total > 0 ? (p.share / total) * c.count : 0));
  return [...by].map(([to, count]) => ({ to, count }));
}

const ofRoutes = (routes: RequestRoute[]) => mixed(routes.map((r) => ({ share: r.weight, calls: r.calls })));

/**
 * The calls one request to `svc` makes on average: its routes by weight, else its versions by weight
 * (by replicas without weights: how kube-proxy would split), else its own calls.
 */
export function expectedCalls(svc: Service): Array<{ to: string; count: number }> {
  if (svc.routes) return ofRoutes(svc.routes);
  const vs = svc.versions;
  if (vs)
    return mixed(
      vs.map((v) => ({
        share: vs.every((x) => x.weight !== undefined) ? v.weight! : v.replicas,
        calls: v.calls,
      })),
    );
  return svc.calls.map((c) => ({ to: c.to, count: c.count }));
}

/** Expected service visits of one request of entry point `e`, given every service's (`visits`). */
export function entryVisits(e: EntryPoint, visits: Map<string, number>): number {
  if (!e.routes) return visits.get(e.to) ?? 1;
  return ofRoutes(e.routes).reduce((v, c) => v + c.count * (visits.get(c.to) ?? 1), 1);
}

/** Expected service visits (1 for the called service + its calls, transitively) per request to each service. */
export function visitsPerRequest(s: Scenario): Map<string, number> {
  const byKey = new Map<string, Service>();
  for (const svc of s.services) byKey.set(svc.key, svc);
  const visits = new Map<string, number>();
  const calls = new Map(s.services.map((svc) => [svc, expectedCalls(svc)]));
  for (const root of s.services) {
    if (visits.has(root.key)) continue;
    const stack: Array<{ svc: Service; next: number }> = [{ svc: root, next: 0 }];
    const onStack = new Set<string>([root.key]);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const call = calls.get(top.svc)![top.next];
      if (call) {
        const callee = byKey.get(call.to);
        top.next++;
        if (callee && !visits.has(callee.key) && !onStack.has(callee.key)) {
          stack.push({ svc: callee, next: 0 });
          onStack.add(callee.key);
        }
        continue;
      }
      let v = 1;
      for (const c of calls.get(top.svc)!) {
        const callee = byKey.get(c.to);
        v += c.count * (callee ? (visits.get(callee.key) ?? 1) : 1);
      }
      visits.set(top.svc.key, v);
      onStack.delete(top.svc.key);
      stack.pop();
    }
  }
  return visits;
}
