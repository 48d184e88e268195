// The modes pods run in over the compared architectures, from the scenario or the manifests.
import type { Scenario } from '../scenario/index.ts';
import { type CheckContext, modesOver } from './context.ts';
import type { Arch } from './finding.ts';
import { workloadModes } from './workload-modes.ts';

export function serviceModes(ctx: CheckContext, s: Scenario, key: string): Set<Arch> {
  const svc = s.services.find((x) => x.key === key);
  if (!svc) return new Set();
  const ns = s.namespaces.find((n) => n.name === svc.namespace);
  // The injection opt-out only keeps sidecars away; it does not take a pod out of ambient.
  const labelled = ns?.mode === 'sidecar' && !svc.inject ? 'none' : (ns?.mode ?? 'none');
  return modesOver(ctx.compare, labelled, svc.inject);
}

/** The mesh modes (sidecar, ambient) any pod runs in, over every compared architecture. */
export function meshInUse(ctx: CheckContext): Set<Arch> {
  const out = new Set<Arch>();
  if (ctx.scenario)
    for (const s of ctx.scenario.services) for (const m of serviceModes(ctx, ctx.scenario, s.key)) out.add(m);
  const inv = ctx.inventory;
  if (inv) {
    for (const w of inv.workloads) for (const m of workloadModes(ctx, inv, w)) out.add(m);
    // A labelled namespace means the mesh is meant there even before its workloads are in the input.
    for (const n of inv.of('Namespace')) {
      const l = n.labels;
      const mode =
        l['istio.io/dataplane-mode'] === 'ambient'
          ? 'ambient'
          : l['istio-injection'] === 'enabled'
            ? 'sidecar'
            : 'none';
      for (const m of modesOver(ctx.compare, mode)) out.add(m);
    }
  }
  out.delete('none');
  return out;
}

/** The waypoint a scenario service's traffic goes through in ambient mode, if any. */
export function waypointOf(s: Scenario, key: string): string | undefined {
  const svc = s.services.find((x) => x.key === key);
  if (!svc) return undefined;
  const w = svc.useWaypoint ?? s.namespaces.find((n) => n.name === svc.namespace)?.useWaypoint;
  return w && w !== 'none' ? w : undefined;
}
