// Policy objects: a workload's Sidecar (its egress hosts become sidecarScope, as written, and its
// outboundTrafficPolicy its own) and the PeerAuthentication selecting it (peer-authentication.ts) become
// its scenario fields; every PeerAuthentication, NetworkPolicy, PodDisruptionBudget and
// AuthorizationPolicy is listed in the header with what meshsim does with it.

import { ROOT_NAMESPACE } from './destination-rules.ts';
import { arr, type Json, obj, objs, selects, str } from './fields.ts';
import type { Inventory } from './inventory.ts';
import { describe, namespaceOf, where } from './manifest.ts';
import type { Notes, Path } from './notes.ts';
import { peerAuthenticationNote, workloadMtls } from './peer-authentication.ts';
import { l7Rule } from './routing.ts';
import type { ImportedService } from './services.ts';

// istio/istio 1.28.0 pkg/config/validation/agent/validation.go ValidateNamespaceSlashWildcardHostname;
// istiod logs and skips any other host (pilot/pkg/model/sidecar.go convertIstioListenerToWrapper).
const EGRESS_HOST =
  /^([*.~]|[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)\/(\*|(\*\.)?[a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/;

/** The Sidecar resource a service's pods get, and what meshsim takes from it. */
export interface SidecarImport {
  /** Its egress hosts as written (a sidecarScope), or `mesh` where they import every exported service. */
  scope: 'mesh' | string[];
  /** Its outboundTrafficPolicy.mode, when it sets one (scenario/passthrough.ts). */
  outbound?: 'ALLOW_ANY' | 'REGISTRY_ONLY';
  /** Where it comes from, and what of it meshsim does not model. */
  note: string;
}

/**
 * The Sidecar resource istiod gives the pods of `s` (istio/istio 1.28.0 pilot/pkg/model/push_context.go
 * doGetSidecarScope, initSidecarScopes): of their namespace's, the first whose workloadSelector selects
 * them, else the first without a selector; with none of them, the root namespace's first without a
 * selector. ASSUMPTION: "first" is the manifests' order (istiod orders by creation time, which manifests
 * do not carry). Its egress listeners' hosts together are what it imports (collectImportedServices); none
 * is `*\/*`, every exported service, as with no Sidecar at all.
 */
function sidecarFor(inv: Inventory, s: ImportedService): SidecarImport | undefined {
  const all = inv.of('Sidecar');
  const selector = (m: (typeof all)[number]) => {
    const ws = obj(m.body.spec).workloadSelector;
    return ws === undefined ? undefined : obj(obj(ws).labels);
  };
  const own = all.filter((m) => namespaceOf(m) === s.namespace);
  const chosen =
    own.find((m) => {
      const ws = selector(m);
      return ws !== undefined && s.workloads.some((w) => selects({ matchLabels: ws }, w.podLabels));
    }) ??
    own.find((m) => selector(m) === undefined) ??
    all.find((m) => namespaceOf(m) === ROOT_NAMESPACE && selector(m) === undefined);
  if (!chosen) return undefined;
  const listeners = objs(obj(chosen.body.spec).egress);
  const written = listeners.flatMap((e) => arr(e.hosts).map((h) => str(h) ?? ''));
  const hosts = written.filter((h) => EGRESS_HOST.test(h));
  const left: string[] = [];
  const bad = written.filter((h) => !EGRESS_HOST.test(h));
  if (bad.length > 0) left.push(`hosts ${bad.join(', ')} skipped, as istiod does (not namespace/dnsName)`);
  if (listeners.some((e) => e.port !== undefined))
    left.push('egress listener ports not modelled (each listener imports its hosts on every port)');
  const origin = `${describe(chosen)} (${where(chosen.source)})`;
  const scope = listeners.length === 0 || hosts.includes('*/*') ? 'mesh' : hosts;
  const what = scope === 'mesh' ? 'imports every exported service' : `egress hosts ${hosts.join(', ')}`;
  const policy = obj(obj(chosen.body.spec).outboundTrafficPolicy);
  const mode = str(policy.mode);
  const outbound = mode === 'ALLOW_ANY' || mode === 'REGISTRY_ONLY' ? mode : undefined;
  if (policy.egressProxy !== undefined) left.push('outboundTrafficPolicy.egressProxy not modelled');
  const note = [`${origin}: ${what}${outbound ? `, outboundTrafficPolicy ${outbound}` : ''}`, ...left].join(
    '; ',
  );
  return { scope, note, ...(outbound ? { outbound } : {}) };
}

/**
 * The policies istiod gives the pods of `s` as its scenario fields: its Sidecar's scope and
 * outboundTrafficPolicy, and the mtls mode of a PeerAuthentication selecting them.
 */
export function applyWorkloadPolicies(
  inv: Inventory,
  s: ImportedService,
  raw: Json,
  path: Path,
  notes: Notes,
): void {
  const sidecar = sidecarFor(inv, s);
  if (sidecar) {
    raw.sidecarScope = sidecar.scope;
    notes.inline([...path, 'sidecarScope'], sidecar.note);
    if (sidecar.outbound) raw.outboundTrafficPolicy = sidecar.outbound;
  }
  const mtls = workloadMtls(inv, s);
  if (mtls) raw.mtls = mtls;
}

export function policyNotes(inv: Inventory, notes: Notes): void {
  for (const m of inv.of('PeerAuthentication')) notes.header.push(peerAuthenticationNote(m));
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
      `${describe(m)} (${where(m.source)}): the disruptionBudget of the services whose pods it selects (node drains wait for it); meshsim check tests whether it blocks them`,
    );
}
