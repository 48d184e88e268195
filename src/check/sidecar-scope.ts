// MSH410: what scoping the sidecars would save. An unscoped sidecar holds every service exported to its
// namespace (scenario/visibility.ts); a Sidecar resource narrows it to its namespace's and istio-system's
// services (egress hosts ./* and istio-system/*, the namespace default Istio's documentation shows), or to
// the services the workload calls. The finding puts the three side by side, with the sizing model the
// simulation uses (mesh/config-size.ts, mesh.sidecar.cost), so a platform comparing sidecar and ambient
// sees the sidecar figure it would get with the scoping it may add anyway.
import type { Placement } from '../cluster/index.ts';
import { configSize, proxyMemory } from '../mesh/index.ts';
import type { Scenario, SidecarScope } from '../scenario/index.ts';
import { placementOf } from './placements.ts';
import type { Rule } from './rule.ts';

/** ASSUMPTION: a saving below this per unscoped sidecar, on average, is not worth a finding. */
const WORTH_PER_SIDECAR = 16 * 2 ** 20;
const NAMESPACE_SCOPE = ['./*', 'istio-system/*'];

const MiB = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
const GiB = (b: number) => `${(b / 2 ** 30).toFixed(1)} GiB`;

/**
 * Configuration memory of the placed sidecars `placed` (count by owner) with `scope` instead of theirs
 * (null: as they are).
 */
function memoryOf(
  s: Scenario,
  placement: Placement,
  placed: Map<string, number>,
  scope: SidecarScope | null,
): number {
  const t =
    scope === null
      ? s
      : { ...s, services: s.services.map((x) => (placed.has(x.key) ? { ...x, sidecarScope: scope } : x)) };
  // configSize caches by placement and owner: a copy of the placement keeps each scope's sizes apart.
  const pl = scope === null ? placement : { ...placement };
  let total = 0;
  for (const [owner, n] of placed)
    total += n * proxyMemory(s.mesh.sidecar.cost, configSize(t, pl, 'sidecar', owner), 0);
  return total;
}

export const sidecarScopeRule: Rule = {
  code: 'MSH410',
  check(ctx) {
    const s = ctx.scenario;
    // It places the cluster: `meshsim check` says it, not every run.
    if (!s || ctx.simulating || !ctx.compare.includes('sidecar')) return [];
    const unscoped = new Set(s.services.filter((x) => x.sidecarScope === 'mesh').map((x) => x.key));
    if (unscoped.size === 0) return [];
    const placement = placementOf(s, 'sidecar');
    // The placed pods of unscoped services that carry a sidecar under this architecture, by owner.
    const placed = new Map<string, number>();
    for (const pod of placement.pods)
      if (pod.hasSidecar && pod.node >= 0 && unscoped.has(pod.owner))
        placed.set(pod.owner, (placed.get(pod.owner) ?? 0) + 1);
    let sidecars = 0;
    for (const n of placed.values()) sidecars += n;
    if (sidecars === 0) return [];
    const now = memoryOf(s, placement, placed, null);
    const namespace = memoryOf(s, placement, placed, NAMESPACE_SCOPE);
    const callees = memoryOf(s, placement, placed, 'callees');
    if ((now - Math.min(namespace, callees)) / sidecars < WORTH_PER_SIDECAR) return [];
    const each = (b: number) => `${MiB(b / sidecars)} each (${GiB(b)})`;
    return [
      {
        code: 'MSH410',
        severity: 'info',
        title: 'unscoped sidecars hold configuration they may not need',
        object: { kind: 'Mesh', name: 'sidecar' },
        message: `${sidecars} unscoped sidecars of ${placed.size} services need ${each(now)} before any connection (base and configuration); scoped to their namespace and istio-system (egress hosts ./* and istio-system/*) ${each(namespace)}; to the services each calls ${each(callees)}`,
        architectures: {
          sidecar: 'every pod carries it; its idle CPU and the pushes it receives grow with it too',
          ambient: 'ztunnel holds every workload and service once per node instead',
        },
        action:
          'add Sidecar resources (or networking.istio.io/exportTo on services) and give the scenario the same sidecarScope (mesh.sidecar.scope or per service) to compare with them',
        reference:
          'https://istio.io/latest/docs/ops/configuration/mesh/configuration-scoping/; https://istio.io/latest/docs/reference/config/networking/sidecar/; mesh.sidecar.cost memory figures in this scenario',
      },
    ];
  },
};
