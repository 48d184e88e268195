// A DestinationRule subset's own trafficPolicy as its version's `trafficPolicy` (scenario
// normalise/subset-policy.ts), where the versions are split by weight (only then does a route reach a
// subset's cluster). What the scenario cannot take per subset (tls, per-connection settings, a
// connectionPool that would drop the service's per-connection settings) is dropped and named.
import { perConnectionFields } from '../scenario/index.ts';
import { destinationPolicy } from './destination-policy.ts';
import { type Json, obj, objs, str } from './fields.ts';
import type { Inventory } from './inventory.ts';
import { describe, where } from './manifest.ts';
import type { Notes, Path } from './notes.ts';
import type { ImportedService } from './services.ts';
import { subsetRules, versionSelected } from './versions.ts';

/**
 * Sets `trafficPolicy` on the weighted versions of `raw` (a scenario service) whose DestinationRule subset
 * has one; `servicePolicy` is the service's own, as written.
 */
export function applySubsetPolicies(
  inv: Inventory,
  s: ImportedService,
  raw: Json,
  path: Path,
  notes: Notes,
  servicePolicy: Json | undefined,
): void {
  const versions = Array.isArray(raw.versions) ? (raw.versions as Json[]) : [];
  if (versions.length === 0 || versions.some((v) => v.weight === undefined)) return;
  for (const m of subsetRules(inv, s.key)) {
    for (const sub of objs(obj(m.body.spec).subsets)) {
      if (sub.trafficPolicy === undefined) continue;
      const name = versionSelected(obj(sub.labels) as Record<string, string>);
      const i = versions.findIndex((v) => v.name === name);
      if (i < 0) continue;
      const { policy, dropped } = destinationPolicy(sub.trafficPolicy);
      const out: Json = { ...(policy ?? {}) };
      if (out.tls !== undefined) {
        delete out.tls;
        dropped.push('tls (meshsim applies it per service)');
      }
      const pool = obj(out.connectionPool);
      const own = perConnectionFields(pool);
      for (const f of own) {
        const [part, k] = f.split('.') as [string, string];
        delete obj(pool[part])[k];
      }
      if (own.length > 0) dropped.push(`connectionPool ${own.join(', ')} (meshsim applies them per service)`);
      const shadowed = perConnectionFields(servicePolicy?.connectionPool);
      if (out.connectionPool !== undefined && shadowed.length > 0) {
        delete out.connectionPool;
        dropped.push(`connectionPool (it would drop the service's ${shadowed.join(', ')})`);
      }
      const source = `subset ${str(sub.name)} of ${describe(m)} (${where(m.source)})`;
      if (Object.keys(out).length > 0) {
        versions[i]!.trafficPolicy = out;
        notes.before([...path, 'versions', i, 'trafficPolicy'], source);
      }
      if (dropped.length > 0)
        notes.before(
          [...path, 'versions', i],
          `read, not representable: ${source} trafficPolicy ${dropped.join(', ')}`,
        );
    }
  }
}
