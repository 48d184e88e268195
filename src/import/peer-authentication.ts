// PeerAuthentications become the scenario's mtls modes (scenario/peer-authentication.ts), at the scope
// istiod reads each at (istio/istio 1.28.0 pilot/pkg/security/authn/policy_applier.go
// ComposePeerAuthentication): one without a selector in the root namespace is the mesh's, one without a
// selector elsewhere its namespace's, one with a selector that of the workloads it selects. Within a
// scope the oldest wins; ASSUMPTION: the manifests' order stands for creation time, which they do not
// carry. UNSET inherits; port-level modes are not simulated and are named.
import { ROOT_NAMESPACE } from './destination-rules.ts';
import { type Json, obj, selects, str } from './fields.ts';
import type { Inventory } from './inventory.ts';
import { describe, type Manifest, namespaceOf, where } from './manifest.ts';
import type { Notes } from './notes.ts';
import type { ImportedService } from './services.ts';

type Mode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';

function modeOf(m: Manifest): Mode | undefined {
  const mode = str(obj(obj(m.body.spec).mtls).mode);
  return mode === 'STRICT' || mode === 'PERMISSIVE' || mode === 'DISABLE' ? mode : undefined;
}

function selector(m: Manifest): Record<string, string> | undefined {
  const labels = obj(obj(obj(m.body.spec).selector).matchLabels) as Record<string, string>;
  return Object.keys(labels).length > 0 ? labels : undefined;
}

/** The mode of the oldest PeerAuthentication of a scope; undefined (its parent's) when that is UNSET. */
function first(list: Manifest[]): Mode | undefined {
  return list.length > 0 ? modeOf(list[0]!) : undefined;
}

/** The mesh-wide mode: the root namespace's PeerAuthentication without a selector. */
function meshMtls(inv: Inventory): Mode | undefined {
  return first(inv.of('PeerAuthentication').filter((m) => namespaceOf(m) === ROOT_NAMESPACE && !selector(m)));
}

/** The mesh-wide mode as `mesh.mtls`, unless the --calls file gives `mesh` (`given`): then it is named. */
export function applyMeshMtls(raw: Json, inv: Inventory, given: boolean, notes: Notes): void {
  const mtls = meshMtls(inv);
  if (mtls && !given) raw.mesh = { ...obj(raw.mesh), mtls };
  else if (mtls)
    notes.header.push('read, not used: the mesh-wide PeerAuthentication (mesh comes from the --calls file)');
}

/** A namespace's own mode: its PeerAuthentication without a selector (the root namespace's is the mesh's). */
export function namespaceMtls(inv: Inventory, ns: string): Mode | undefined {
  if (ns === ROOT_NAMESPACE) return undefined;
  return first(inv.of('PeerAuthentication').filter((m) => namespaceOf(m) === ns && !selector(m)));
}

/** A service's own mode: a PeerAuthentication of its namespace whose selector selects its pods. */
export function workloadMtls(inv: Inventory, s: ImportedService): Mode | undefined {
  return first(
    inv.of('PeerAuthentication').filter((m) => {
      const ws = selector(m);
      return (
        namespaceOf(m) === s.namespace &&
        ws !== undefined &&
        s.workloads.some((w) => selects({ matchLabels: ws }, w.podLabels))
      );
    }),
  );
}

/** The header line for one PeerAuthentication: what it sets and what meshsim takes of it. */
export function peerAuthenticationNote(m: Manifest): string {
  const spec = obj(m.body.spec);
  const mode = str(obj(spec.mtls).mode) ?? 'UNSET';
  const scope = selector(m)
    ? 'its selected workloads (services[].mtls)'
    : namespaceOf(m) === ROOT_NAMESPACE
      ? 'the mesh (mesh.mtls)'
      : `namespace ${namespaceOf(m)} (namespaces[].mtls)`;
  const taken =
    modeOf(m) !== undefined
      ? `mTLS ${mode} for ${scope}`
      : mode === 'UNSET'
        ? 'mTLS UNSET: inherits'
        : `mTLS ${mode}: not a mode (the scope keeps its parent's)`;
  const ports = spec.portLevelMtls !== undefined ? '; portLevelMtls not simulated' : '';
  return `${describe(m)} (${where(m.source)}): ${taken}${ports}`;
}
