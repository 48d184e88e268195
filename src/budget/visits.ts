// How many service visits one entry request causes: the request itself plus every call it fans out to,
// counted through the call graph (`count` calls, or one call with a probability; calls name their callee by key). The graph is acyclic
// (the loader rejects cycles); the walk is iterative so its depth never grows with the graph.
import type { Scenario, Service } from '../scenario/index.ts';

/** Expected service visits (1 for the called service + its calls, transitively) per request to each service. */
export function visitsPerRequest(s: Scenario): Map<string, number> {
  const byKey = new Map<string, Service>();
  for (const svc of s.services) byKey.set(svc.key, svc);
  const visits = new Map<string, number>();
  for (const root of s.services) {
    if (visits.has(root.key)) continue;
    const stack: Array<{ svc: Service; next: number }> = [{ svc: root, next: 0 }];
    const onStack = new Set<string>([root.key]);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const call = top.svc.calls[top.next];
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
      for (const c of top.svc.calls) {
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
