// The modes pods run in over the compared architectures, from the scenario or the manifests. A scenario
// file's pods are asked of cluster/modes.ts, as the simulator places them: a namespace labelled out of
// the mesh stays out under every architecture, so no rule warns about a proxy such a service never has.
// Manifests are checked as if every namespace moved (context.ts modesOver), their imported scenario too.
import { clientDataplane, resolveModes, serviceDataplane } from '../cluster/index.ts';
import type { Architecture, DataplaneMode, EntryPoint, Scenario, Service } from '../scenario/index.ts';
import { type CheckContext, modesOver } from './context.ts';
import type { Arch } from './finding.ts';
import { workloadModes } from './workload-modes.ts';

// Rules ask per service and per edge: each architecture's namespace modes are resolved once per scenario.
const resolved = new WeakMap<Scenario, Map<Architecture, ReadonlyMap<string, DataplaneMode>>>();

function modesOf(s: Scenario, arch: Architecture): ReadonlyMap<string, DataplaneMode> {
  let byArch = resolved.get(s);
  if (!byArch) resolved.set(s, (byArch = new Map()));
  let modes = byArch.get(arch);
  if (!modes) byArch.set(arch, (modes = resolveModes(s, arch)));
  return modes;
}

export function serviceModes(ctx: CheckContext, s: Scenario, key: string): Set<Arch> {
  const svc = s.services.find((x) => x.key === key);
  const out = new Set<Arch>();
  if (!svc) return out;
  if (ctx.inventory) return movedModes(ctx, s, svc);
  for (const arch of ctx.compare) {
    const modes = modesOf(s, arch);
    out.add(serviceDataplane(svc, 0, arch, modes).mode);
    // As labelled, a migration caught half-way keeps sidecars on the first sidecarPods pods only.
    if (svc.replicas > 1) out.add(serviceDataplane(svc, svc.replicas - 1, arch, modes).mode);
  }
  return out;
}

function movedModes(ctx: CheckContext, s: Scenario, svc: Service): Set<Arch> {
  const ns = s.namespaces.find((n) => n.name === svc.namespace);
  // The injection opt-out only keeps sidecars away; it does not take a pod out of ambient.
  const labelled = ns?.mode === 'sidecar' && !svc.inject ? 'none' : (ns?.mode ?? 'none');
  return modesOver(ctx.compare, labelled, svc.inject);
}

/** The modes an entry point's load generators run in over the compared architectures. */
export function clientModes(ctx: CheckContext, s: Scenario, ep: EntryPoint): Set<Arch> {
  const out = new Set<Arch>();
  if (ctx.inventory) {
    const target = s.services.find((x) => x.key === ep.to);
    if (ep.clientMode === 'same-as-target') return target ? movedModes(ctx, s, target) : out;
    // Load generators the manifests place explicitly are not moved.
    return out.add(ep.clientMode);
  }
  for (const arch of ctx.compare) out.add(clientDataplane(s, ep, arch, modesOf(s, arch)).mode);
  return out;
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
