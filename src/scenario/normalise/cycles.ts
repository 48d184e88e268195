// A call cycle would make one request recurse forever, so it is an error naming the cycle.
import type { Problems } from '../pending.ts';
import type { Service } from '../types.ts';

export function checkCycles(services: Service[], problems: Problems): void {
  const byKey = new Map<string, { s: Service; i: number }>();
  // A duplicated key is reported elsewhere; its first declaration is the one calls resolve to.
  services.forEach((s, i) => {
    if (!byKey.has(s.key)) byKey.set(s.key, { s, i });
  });
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];

  const visit = (key: string): void => {
    const node = byKey.get(key);
    if (!node) return;
    state.set(key, 'open');
    stack.push(key);
    node.s.calls.forEach((c, j) => {
      const st = state.get(c.to);
      if (st === 'open') {
        const cycle = [...stack.slice(stack.indexOf(c.to)), c.to].join(' -> ');
        problems.add(['services', node.i, 'calls', j, 'to'], 'a call that closes no cycle', {
          message: `call cycle ${cycle}: a request would recurse forever`,
        });
      } else if (st === undefined) visit(c.to);
    });
    stack.pop();
    state.set(key, 'done');
  };

  for (const s of services) if (!state.has(s.key)) visit(s.key);
}
