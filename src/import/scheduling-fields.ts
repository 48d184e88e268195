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
  const selecting = nodeLabels.filter((labels) => mapSelects(w.nodeSelector, labels));
  if (selecting.length > 0) out.nodeSelector = { ...w.nodeSelector };
  if (w.tolerations.length > 0) out.tolerations = w.tolerations.map((t) => ({ ...t }));
  const rules = w.placement;
  const affinity = rules.nodeAffinity;
  if (affinity) {
    // Required node affinity only when some node the import knows meets it, and the nodeSelector kept
    // with it (kube-scheduler requires both: else every pod stays Pending); preferences only score, so
    // they are always kept.
    const meets = (labels: Record<string, string>) => meetsRequiredNodeAffinity(affinity, labels);
    const candidates = selecting.length > 0 ? selecting : nodeLabels;
    const required = affinity.required && candidates.some(meets) ? affinity.required : undefined;
    if (affinity.required && !required)
      notes.before(
        path,
        selecting.length > 0 && nodeLabels.some(meets)
          ? `${w.name}: required nodeAffinity met by no node its nodeSelector selects, not simulated`
          : `${w.name}: required nodeAffinity met by no node the import knows, not simulated`,
      );
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
