// A workload's scheduling fields as the scenario writes them (placement-rules.ts reads them): what the
// cluster the import knows can honour, the rest in the notes.
import { meetsRequiredNodeAffinity } from '../cluster/index.ts';
import { type Json, mapSelects } from './fields.ts';
import type { Notes, Path } from './notes.ts';
import type { Workload } from './workload.ts';

/** `nodeLabels`: the label sets of the nodes the scenario will have (nodes.ts knownNodeLabels). */
export function schedulingFields(
  w: Workload,
  nodeLabels: Record<string, string>[],
  path: Path,
  notes: Notes,
): Json {
  const out: Json = {};
  // A nodeSelector only when some node carries its labels (else every pod would stay Pending).
  if (nodeLabels.some((labels) => mapSelects(w.nodeSelector, labels)))
    out.nodeSelector = { ...w.nodeSelector };
  if (w.tolerations.length > 0) out.tolerations = w.tolerations.map((t) => ({ ...t }));
  const rules = w.placement;
  const affinity = rules.nodeAffinity;
  if (affinity) {
    // Required node affinity only when some node the import knows meets it (else every pod stays
    // Pending); preferences only score, so they are always kept.
    const required =
      affinity.required && nodeLabels.some((labels) => meetsRequiredNodeAffinity(affinity, labels))
        ? affinity.required
        : undefined;
    if (affinity.required && !required)
      notes.before(path, `${w.name}: required nodeAffinity met by no node the import knows, not simulated`);
    const kept = {
      ...(required ? { required } : {}),
      ...(affinity.preferred ? { preferred: affinity.preferred } : {}),
    };
    if (kept.required || kept.preferred) out.nodeAffinity = structuredClone(kept);
  }
  if (rules.podAntiAffinity.length > 0) out.podAntiAffinity = [...rules.podAntiAffinity];
  if (rules.preferredPodAntiAffinity.length > 0)
    out.preferredPodAntiAffinity = rules.preferredPodAntiAffinity.map((t) => ({ ...t }));
  if (rules.topologySpreadConstraints.length > 0)
    out.topologySpreadConstraints = rules.topologySpreadConstraints.map((c) => ({ ...c }));
  return out;
}
