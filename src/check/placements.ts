// The cluster placed once per scenario and architecture for every rule that needs it (MSH409, MSH410,
// MSH416): placing a large cluster takes seconds, and placement is a pure function of both.
import { type Placement, place } from '../cluster/index.ts';
import type { Architecture, Scenario } from '../scenario/index.ts';

const cache = new WeakMap<Scenario, Map<Architecture, Placement>>();

export function placementOf(s: Scenario, arch: Architecture): Placement {
  let byArch = cache.get(s);
  if (!byArch) cache.set(s, (byArch = new Map()));
  let p = byArch.get(arch);
  if (!p) byArch.set(arch, (p = place(s, arch)));
  return p;
}
