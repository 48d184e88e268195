// PodDisruptionBudgets -> a service's `disruptionBudget`: a node drain's evictions wait while it allows
// none (events/cordon-drain.ts).
import { intOrPercent, type Json, obj, selects } from './fields.ts';
import type { Inventory } from './inventory.ts';
import { describe, namespaceOf, where } from './manifest.ts';
import type { Notes, Path } from './notes.ts';
import type { ImportedService } from './services.ts';

/**
 * The PodDisruptionBudget over `s`'s pods (one in its namespace whose selector selects its workloads'
 * pods), as `disruptionBudget` on `raw`; one over the pods of several services counts them together in
 * Kubernetes, and is given to each of them here (said in a comment).
 */
export function applyDisruptionBudget(
  inv: Inventory,
  s: ImportedService,
  others: readonly ImportedService[],
  raw: Json,
  path: Path,
  notes: Notes,
): void {
  const pdbs = inv
    .of('PodDisruptionBudget')
    .filter(
      (m) =>
        namespaceOf(m) === s.namespace &&
        s.workloads.some((w) => selects(obj(obj(m.body.spec).selector), w.podLabels)),
    );
  const m = pdbs[0];
  if (!m) return;
  if (pdbs.length > 1) {
    // The eviction API refuses to evict a pod that more than one budget selects (kubernetes v1.34
    // pkg/registry/core/pod/storage/eviction.go: "This pod has more than one PodDisruptionBudget"):
    // no drain ever evicts it, which a budget of all its pods says.
    raw.disruptionBudget = { minAvailable: '100%' };
    notes.inline(
      [...path, 'disruptionBudget'],
      `${pdbs.map((x) => `${describe(x)} (${where(x.source)})`).join(' and ')} both select its pods: the eviction API refuses every eviction`,
    );
    return;
  }
  const spec = obj(m.body.spec);
  const min = intOrPercent(spec.minAvailable);
  const max = intOrPercent(spec.maxUnavailable);
  if ((min === undefined) === (max === undefined)) {
    notes.before(
      path,
      `${describe(m)} (${where(m.source)}): neither or both of minAvailable and maxUnavailable, not modelled`,
    );
    return;
  }
  raw.disruptionBudget = min !== undefined ? { minAvailable: min } : { maxUnavailable: max };
  const shared = others.filter(
    (o) =>
      o !== s &&
      o.namespace === s.namespace &&
      o.workloads.some((w) => selects(obj(spec.selector), w.podLabels)),
  );
  notes.inline(
    [...path, 'disruptionBudget'],
    `${describe(m)} (${where(m.source)})` +
      (shared.length > 0
        ? `; it also selects ${shared.map((o) => o.key).join(', ')}, each budgeted alone here`
        : ''),
  );
}
