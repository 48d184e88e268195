// A call cycle would make one request recurse forever, so it is an error naming the cycle. A service's
// calls are all it may make: its own, each version's and each route's; an entry point's routes make
// theirs from its target.
import type { Problems } from '../pending.ts';
import type { Call, EntryPoint, Service } from '../types.ts';

interface Out {
  to: string;
  path: PropertyKey[];
}

/** Every call a service's pods may make, with where each is written. */
export function outgoing(s: Service, i: number): Out[] {
  const at = ['services', i];
  const of = (calls: Call[], base: PropertyKey[]) =>
    calls.map((c, j) => ({ to: c.to, path: [...base, j, 'to'] }));
  const out = of(s.calls, [...at, 'calls']);
  // A version without calls of its own repeats the service's (same objects): count them once.
  s.versions?.forEach((v, k) => {
    if (v.calls !== s.calls) out.push(...of(v.calls, [...at, 'versions', k, 'calls']));
  });
  s.routes?.forEach((r, k) => {
    out.push(...of(r.calls, [...at, 'routes', k, 'calls']));
  });
  return out;
}

export function checkCycles(services: Service[], problems: Problems): void {
  const byKey = new Map<string, { s: Service; i: number; out: Out[] }>();
  // A duplicated key is reported elsewhere; its first declaration is the one calls resolve to.
  services.forEach((s, i) => {
    if (!byKey.has(s.key)) byKey.set(s.key, { s, i, out: outgoing(s, i) });
  });
  const state = new Map<string, 'open' | 'done'>();
  // Depth-first with an explicit stack of frames (the key and its next call), not recursion: a chain of a
  // few thousand services would otherwise overflow the call stack. Problems come out in the same order.
  const path: string[] = [];
  const frames: Array<{ node: { out: Out[] }; next: number }> = [];
  const open = (key: string): void => {
    const node = byKey.get(key);
    if (!node) return;
    state.set(key, 'open');
    path.push(key);
    frames.push({ node, next: 0 });
  };
  const visit = (root: string): void => {
    open(root);
    while (frames.length > 0) {
      const f = frames.at(-1)!;
      const { out } = f.node;
      if (f.next === out.length) {
        frames.pop();
        state.set(path.pop()!, 'done');
        continue;
      }
      const j = f.next++;
      const to = out[j]!.to;
      const st = state.get(to);
      if (st === 'open') {
        const cycle = [...path.slice(path.indexOf(to)), to].join(' -> ');
        problems.add(out[j]!.path, 'a call that closes no cycle', {
          message: `call cycle ${cycle}: a request would recurse forever`,
        });
      } else if (st === undefined) open(to);
    }
  };

  for (const s of services) if (!state.has(s.key)) visit(s.key);
}

/** An entry route's call that leads back to the entry point's target would recurse forever too. */
export function checkEntryCycles(services: Service[], traffic: EntryPoint[], problems: Problems): void {
  const byKey = new Map<string, Out[]>();
  services.forEach((s, i) => {
    if (!byKey.has(s.key)) byKey.set(s.key, outgoing(s, i));
  });
  traffic.forEach((ep, i) => {
    ep.routes?.forEach((r, k) => {
      r.calls.forEach((c, j) => {
        const seen = new Set<string>();
        const stack = [c.to];
        while (stack.length > 0) {
          const key = stack.pop()!;
          if (key === ep.to) {
            problems.add(['traffic', i, 'routes', k, 'calls', j, 'to'], 'a call that closes no cycle', {
              message: `call cycle ${ep.to} -> ${c.to} -> ... -> ${ep.to}: a request would recurse forever`,
            });
            return;
          }
          if (seen.has(key)) continue;
          seen.add(key);
          for (const o of byKey.get(key) ?? []) stack.push(o.to);
        }
      });
    });
  });
}
