// The mesh modes a manifest workload runs in over the compared architectures.
import { type Inventory, podMode, type Workload } from '../import/index.ts';
import { type CheckContext, modesOver } from './context.ts';
import type { Arch } from './finding.ts';

export function workloadModes(ctx: CheckContext, inv: Inventory, w: Workload): Set<Arch> {
  const injectable =
    w.podAnnotations['sidecar.istio.io/inject'] !== 'false' &&
    w.podLabels['sidecar.istio.io/inject'] !== 'false';
  return modesOver(ctx.compare, podMode(inv, w), injectable);
}

/** Workloads whose pods run in ambient mode in some compared architecture. */
export function ambientWorkloads(ctx: CheckContext): Workload[] {
  const inv = ctx.inventory;
  if (!inv) return [];
  return inv.workloads.filter((w) => !w.hostNetwork && workloadModes(ctx, inv, w).has('ambient'));
}

/** Said after a finding about ambient when the pods are not ambient today but checked as if moved. */
export function whatIf(inv: Inventory, w: Workload): string {
  return podMode(inv, w) === 'ambient' ? '' : ' (not ambient today: checked as if moved to ambient)';
}
