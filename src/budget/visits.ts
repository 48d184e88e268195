// How many service visits one entry request causes: the request itself plus every call it fans out to,
// counted through the call graph (`count` calls, or one call with a probability; calls name their callee by key). The graph is acyclic
// (the loader rejects cycles); the walk is iterative so its depth never grows with the graph.
import {
  type EntryPoint,
  entryRouteCalls,
  type Scenario,
  type Service,
  sharedCalls,
} from '../scenario/index.ts';

/** The calls of one request to `svc` (scenario sharedCalls), as expected counts per callee. */
export function expectedCalls(svc: Service): Array<{ to: string; count: number }> {
  return sharedCalls(svc).map(({ call, share }) => ({ to: call.to, count: share * call.count }));
}

/** Expected service visits of one request of entry point `e`, given every service's (`visits`). */
export function entryVisits(e: EntryPoint, visits: Map<string, number>): number {
  if (!e.routes) return visits.get(e.to) ?? 1;
  return entryRouteCalls(e).reduce(
    (v, { call, share }) => v + share * call.count * (visits.get(call.to) ?? 1),
    1,
  );
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
