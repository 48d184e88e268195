// Istio's meshConfig, when the manifests hold it: the `mesh` key of the `istio` ConfigMap in the root
// namespace (istio/istio 1.28.0 manifests/charts/istio-control/istio-discovery/templates/configmap.yaml;
// a revision's is `istio-<revision>`). The fields meshsim simulates become `mesh:` settings:
// defaultServiceExportTo (which services each namespace's proxies are given), h2UpgradePolicy,
// outboundTrafficPolicy.mode (what a sidecar does with a service it is not given) and
// defaultConfig.concurrency (every sidecar's Envoy worker threads); the rest is named in the header.
import { parse } from 'yaml';
import { isExportToEntry } from '../scenario/index.ts';
import { ROOT_NAMESPACE } from './destination-rules.ts';
import { arr, isObj, type Json, num, obj, str } from './fields.ts';
import type { Inventory } from './inventory.ts';
import { describe, namespaceOf, where } from './manifest.ts';
import type { Notes } from './notes.ts';

const TAKEN = new Set([
  'defaultServiceExportTo',
  'h2UpgradePolicy',
  'defaultConfig',
  'outboundTrafficPolicy',
]);

/** The meshConfig fields meshsim takes, as `mesh:` settings; undefined without an `istio` ConfigMap. */
export function meshConfigOf(inv: Inventory, notes: Notes): Json | undefined {
  const maps = inv.of('ConfigMap').filter((m) => namespaceOf(m) === ROOT_NAMESPACE);
  const cm =
    maps.find((m) => m.name === 'istio') ??
    maps.find((m) => /^istio-[a-z0-9-]+$/.test(m.name) && typeof obj(m.body.data).mesh === 'string');
  const text = cm ? str(obj(cm.body.data).mesh) : undefined;
  if (!cm || text === undefined) return undefined;
  const origin = `${describe(cm)} (${where(cm.source)})`;
  let mc: unknown;
  try {
    mc = parse(text);
  } catch (e) {
    notes.header.push(
      `read, not used: ${origin}: its mesh key is not YAML (${(e as Error).message.split('\n')[0]})`,
    );
    return undefined;
  }
  if (!isObj(mc)) return undefined;
  const out: Json = {};
  const used: string[] = [];
  const exportTo = arr(mc.defaultServiceExportTo).map((x) => str(x) ?? '');
  if (exportTo.length > 0 && exportTo.every(isExportToEntry)) {
    out.defaultServiceExportTo = exportTo;
    used.push('defaultServiceExportTo');
  }
  if (mc.h2UpgradePolicy === 'UPGRADE' || mc.h2UpgradePolicy === 'DO_NOT_UPGRADE') {
    out.h2UpgradePolicy = mc.h2UpgradePolicy;
    used.push('h2UpgradePolicy');
  }
  const outbound = str(obj(mc.outboundTrafficPolicy).mode);
  if (outbound === 'ALLOW_ANY' || outbound === 'REGISTRY_ONLY') {
    out.outboundTrafficPolicy = outbound;
    used.push('outboundTrafficPolicy');
  }
  // ProxyConfig concurrency 0 (or unset): pilot-agent derives the workers from the CPU limit, as meshsim
  // does without it (src/mesh/workers.ts).
  const concurrency = num(obj(mc.defaultConfig).concurrency);
  if (concurrency !== undefined && Number.isInteger(concurrency) && concurrency >= 1) {
    out.sidecar = { workers: concurrency };
    used.push('defaultConfig.concurrency');
  }
  const rest = Object.keys(mc).filter((k) => !TAKEN.has(k));
  notes.header.push(
    `${origin}: meshConfig ${used.length > 0 ? used.join(', ') : 'nothing meshsim simulates'}${rest.length > 0 ? `; read, not representable: ${rest.join(', ')}` : ''}`,
  );
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Merges meshConfigOf's settings into the scenario's `mesh:` (a sidecar's field by field). */
export function applyMeshConfig(raw: Json, inv: Inventory, notes: Notes): void {
  const mc = meshConfigOf(inv, notes);
  if (!mc) return;
  const into = obj((raw.mesh ??= {}));
  const { sidecar, ...rest } = mc;
  Object.assign(into, rest);
  if (sidecar) into.sidecar = { ...obj(into.sidecar), ...obj(sidecar) };
}
