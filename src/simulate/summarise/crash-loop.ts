// Proxies that never run because their configuration alone exceeds their memory limit (world/memory.ts),
// said once per component rather than once per pod (a mesh of thousands has thousands of them).
import type { World } from '../world/index.ts';

export function crashLoopWarnings(w: World): string[] {
  const by = new Map<string, { n: number; need: number; limit: number }>();
  for (let p = 0; p < w.nProxies; p++) {
    if (w.proxyCrashLoop[p] !== 1) continue;
    const c = w.classes[w.proxyClass[p]!]!.component;
    const x = by.get(c) ?? { n: 0, need: 0, limit: Number.POSITIVE_INFINITY };
    x.n++;
    x.need = Math.max(x.need, w.proxyConfigMemory[p]!);
    x.limit = Math.min(x.limit, w.proxyMemoryLimit[p]!);
    by.set(c, x);
  }
  const mib = (b: number) => `${Math.round(b / 2 ** 20)}Mi`;
  return [...by].map(
    ([c, x]) =>
      `crash loop: ${x.n} ${c} container${x.n === 1 ? '' : 's'} need up to ${mib(x.need)} for ${x.n === 1 ? 'its' : 'their'} configuration alone, above ${x.n === 1 ? 'its' : 'their'} ${mib(x.limit)} memory limit: OOM-killed while loading it and restarted with back-off (CrashLoopBackOff), ${x.n === 1 ? 'it' : 'they'} never serve${x.n === 1 ? 's' : ''} and ${x.n === 1 ? 'its pod is' : 'their pods are'} never ready (scope what each proxy sees, e.g. mesh.sidecar.scope, or raise the limit)`,
  );
}
