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
  // Depth-first with an explicit stack of frames (the key and its next call), not recursion: a chain of a
  // few thousand services would otherwise overflow the call stack. Problems come out in the same order.
  const path: string[] = [];
  const frames: Array<{ node: { s: Service; i: number }; next: number }> = [];
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
      const { s, i } = f.node;
      if (f.next === s.calls.length) {
        frames.pop();
        state.set(path.pop()!, 'done');
        continue;
      }
      const j = f.next++;
      const to = s.calls[j]!.to;
      const st = state.get(to);
      if (st === 'open') {
        const cycle = [...path.slice(path.indexOf(to)), to].join(' -> ');
        problems.add(['services', i, 'calls', j, 'to'], 'a call that closes no cycle', {
          message: `call cycle ${cycle}: a request would recurse forever`,
        });
      } else if (st === undefined) open(to);
    }
  };

  for (const s of services) if (!state.has(s.key)) visit(s.key);
}
