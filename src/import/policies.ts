// Policy objects the simulation does not run but a reader must see: Sidecar egress scope (which does
// change sidecar memory, so it becomes sidecarScope), and PeerAuthentication, NetworkPolicy,
// PodDisruptionBudget and AuthorizationPolicy, listed in the header with what meshsim does with them.
import { arr, obj, objs, selects, str } from './fields.ts';
import type { Inventory } from './inventory.ts';
import { describe, namespaceOf, where } from './manifest.ts';
import type { Notes } from './notes.ts';
import { l7Rule } from './routing.ts';
import type { ImportedService } from './services.ts';

/**
 * A Sidecar resource whose egress hosts are narrower than every namespace (`*\/*`) scopes the sidecar's
 * configuration to what it lists (istio.io/latest/docs/reference/config/networking/sidecar/); meshsim's
 * nearest setting is `callees` (only the services a workload calls).
 */
export function scopedBySidecar(inv: Inventory, s: ImportedService): string | undefined {
  for (const m of inv.of('Sidecar')) {
    if (namespaceOf(m) !== s.namespace) continue;
    const spec = obj(m.body.spec);
    const ws = spec.workloadSelector === undefined ? undefined : obj(obj(spec.workloadSelector).labels);
    if (ws && !s.workloads.some((w) => selects({ matchLabels: ws }, w.podLabels))) continue;
    const hosts = objs(spec.egress).flatMap((e) => arr(e.hosts).map((h) => str(h) ?? ''));
    if (hosts.length > 0 && !hosts.includes('*/*'))
      return `${describe(m)} (${where(m.source)}) limits egress to ${hosts.join(', ')}`;
  }
  return undefined;
}

export function policyNotes(inv: Inventory, notes: Notes): void {
  for (const m of inv.of('PeerAuthentication'))
    notes.header.push(
      `${describe(m)} (${where(m.source)}): mTLS ${str(obj(obj(m.body.spec).mtls).mode) ?? 'UNSET'}; meshsim models mesh traffic as mTLS in every mode`,
    );
  for (const m of inv.of('AuthorizationPolicy'))
    notes.header.push(
      `${describe(m)} (${where(m.source)}): ${l7Rule(m.body) ? 'L7 rules: calls to its targets are marked l7' : 'L4 only: enforced by ztunnel or sidecar, no cost modelled'}; see meshsim check`,
    );
  for (const m of inv.of('NetworkPolicy'))
    notes.header.push(
      `${describe(m)} (${where(m.source)}): enforced by the CNI, not simulated; meshsim check tests it against mesh ports and probes`,
    );
  for (const m of inv.of('PodDisruptionBudget'))
    notes.header.push(
      `${describe(m)} (${where(m.source)}): not simulated in drains; meshsim check tests whether it blocks node drains`,
    );
}
