// A pod template's placement rules that a scenario can carry: node affinity, and pod anti-affinity
// (required and preferred) and topologySpreadConstraints over the workload's own pods, by hostname or
// zone (the scenario's `nodeAffinity`, `podAntiAffinity`, `preferredPodAntiAffinity` and
// `topologySpreadConstraints`, simulated by src/cluster/node-selection.ts, topology-constraints.ts and
// node-score.ts). A rule counts the pods its labelSelector matches; the scenario's rules count the
// workload's own pods, so a rule is imported when its selector matches the pod template's labels (the
// usual `app: <name>`), and anything else is named in the notes, not simulated.
import type { NodeAffinity, NodeSelectorRequirement } from '../scenario/index.ts';
import { arr, isObj, type Json, num, obj, objs, selects, str } from './fields.ts';

type TopologyKey = 'kubernetes.io/hostname' | 'topology.kubernetes.io/zone';

export interface PlacementRules {
  /** Node affinity in the scenario's form (nodeSelectorTerms' matchExpressions), when it has any. */
  nodeAffinity?: NodeAffinity;
  podAntiAffinity: TopologyKey[];
  preferredPodAntiAffinity: { weight: number; topologyKey: TopologyKey }[];
  topologySpreadConstraints: {
    maxSkew: number;
    topologyKey: TopologyKey;
    whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway';
    minDomains?: number;
    matchLabelKeys?: string[];
  }[];
  /** What the template sets that the scenario cannot say, for the notes. */
  unmodelled: string[];
}

const KEYS: readonly string[] = ['kubernetes.io/hostname', 'topology.kubernetes.io/zone'];

/** The rules of a pod spec whose template carries `labels`. */
export function placementRules(pod: Json, labels: Record<string, string>): PlacementRules {
  const out: PlacementRules = {
    podAntiAffinity: [],
    preferredPodAntiAffinity: [],
    topologySpreadConstraints: [],
    unmodelled: [],
  };
  for (const [i, c] of objs(pod.topologySpreadConstraints).entries()) {
    const key = str(c.topologyKey) ?? '';
    const maxSkew = num(c.maxSkew);
    const when = str(c.whenUnsatisfiable) ?? 'DoNotSchedule';
    const why = !KEYS.includes(key)
      ? `topologyKey ${key || '(none)'}`
      : !selectsOwn(c.labelSelector, labels)
        ? 'a labelSelector other than its own pods'
        : !(maxSkew !== undefined && Number.isInteger(maxSkew) && maxSkew >= 1)
          ? `maxSkew ${String(c.maxSkew)}`
          : when !== 'DoNotSchedule' && when !== 'ScheduleAnyway'
            ? `whenUnsatisfiable ${when}`
            : null;
    if (why) {
      out.unmodelled.push(`topologySpreadConstraints[${i}] (${why})`);
      continue;
    }
    const minDomains = num(c.minDomains);
    // Of the keys, pod-template-hash narrows a selector over its own pods (to one ReplicaSet); the
    // workload's pods share every other label, so other keys change nothing.
    const keys = arr(c.matchLabelKeys).flatMap((k) => (str(k) === undefined ? [] : [str(k)!]));
    const perRevision = keys.includes('pod-template-hash');
    out.topologySpreadConstraints.push({
      maxSkew: maxSkew!,
      topologyKey: key as TopologyKey,
      whenUnsatisfiable: when as 'DoNotSchedule' | 'ScheduleAnyway',
      ...(minDomains !== undefined &&
      Number.isInteger(minDomains) &&
      minDomains >= 1 &&
      when === 'DoNotSchedule'
        ? { minDomains }
        : {}),
      ...(perRevision ? { matchLabelKeys: ['pod-template-hash'] } : {}),
    });
    // Fields that narrow or widen the rule in ways the scenario does not model: kept as if unset.
    const extra = ['nodeAffinityPolicy', 'nodeTaintsPolicy'].filter((f) => c[f] !== undefined);
    if (extra.length > 0)
      out.unmodelled.push(`topologySpreadConstraints[${i}] ${extra.join(', ')} (imported without)`);
  }
  const affinity = obj(pod.affinity);
  for (const kind of Object.keys(affinity)) {
    if (kind === 'nodeAffinity') {
      const node = nodeAffinityOf(obj(affinity.nodeAffinity), out.unmodelled);
      if (node) out.nodeAffinity = node;
      continue;
    }
    if (kind !== 'podAntiAffinity') {
      out.unmodelled.push(kind);
      continue;
    }
    const anti = obj(affinity.podAntiAffinity);
    for (const [i, preferred] of objs(anti.preferredDuringSchedulingIgnoredDuringExecution).entries()) {
      const term = obj(preferred.podAffinityTerm);
      const weight = num(preferred.weight);
      const why =
        weight === undefined || !Number.isInteger(weight) || weight < 1 || weight > 100
          ? `weight ${String(preferred.weight)}`
          : termProblem(term, labels);
      if (why) out.unmodelled.push(`preferred podAntiAffinity[${i}] (${why})`);
      else
        out.preferredPodAntiAffinity.push({
          weight: weight!,
          topologyKey: str(term.topologyKey) as TopologyKey,
        });
    }
    for (const [i, term] of objs(anti.requiredDuringSchedulingIgnoredDuringExecution).entries()) {
      const why = termProblem(term, labels);
      const key = str(term.topologyKey) as TopologyKey;
      if (why) out.unmodelled.push(`required podAntiAffinity[${i}] (${why})`);
      else if (!out.podAntiAffinity.includes(key)) out.podAntiAffinity.push(key);
    }
  }
  return out;
}

const OPERATORS: readonly string[] = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'];

/** A NodeSelectorTerm's matchExpressions in the scenario's form; null when it has other parts. */
function termOf(term: Json): NodeSelectorRequirement[] | null {
  if (term.matchFields !== undefined) return null;
  const out: NodeSelectorRequirement[] = [];
  for (const e of objs(term.matchExpressions)) {
    const key = str(e.key);
    const operator = str(e.operator);
    if (!key || !operator || !OPERATORS.includes(operator)) return null;
    const values = arr(e.values).flatMap((v) => (str(v) === undefined ? [] : [str(v)!]));
    out.push({
      key,
      operator: operator as NodeSelectorRequirement['operator'],
      ...(values.length > 0 ? { values } : {}),
    });
  }
  return out.length > 0 ? out : null;
}

/** affinity.nodeAffinity in the scenario's form; what it cannot say goes to `unmodelled`. */
function nodeAffinityOf(raw: Json, unmodelled: string[]): NodeAffinity | undefined {
  const out: NodeAffinity = {};
  const requiredRaw = raw.requiredDuringSchedulingIgnoredDuringExecution;
  if (requiredRaw !== undefined) {
    const terms = objs(obj(requiredRaw).nodeSelectorTerms).map(termOf);
    // Terms are alternatives: dropping one would narrow the rule, so all of them or none.
    if (terms.length > 0 && terms.every((t) => t !== null))
      out.required = terms.map((t) => ({ matchExpressions: t! }));
    else unmodelled.push('required nodeAffinity (matchFields or an unknown operator)');
  }
  for (const [i, p] of objs(raw.preferredDuringSchedulingIgnoredDuringExecution).entries()) {
    const weight = num(p.weight);
    const term = termOf(obj(p.preference));
    if (weight === undefined || !Number.isInteger(weight) || weight < 1 || weight > 100 || !term)
      unmodelled.push(`preferred nodeAffinity[${i}]`);
    else (out.preferred ??= []).push({ weight, matchExpressions: term });
  }
  return out.required || out.preferred ? out : undefined;
}

/** Why a PodAffinityTerm is not one over the workload's own pods by hostname or zone, null if it is. */
function termProblem(term: Json, labels: Record<string, string>): string | null {
  const key = str(term.topologyKey) ?? '';
  if (!KEYS.includes(key)) return `topologyKey ${key || '(none)'}`;
  if (term.namespaces !== undefined || term.namespaceSelector !== undefined) return 'namespaces';
  if (!selectsOwn(term.labelSelector, labels)) return 'a labelSelector other than its own pods';
  return null;
}

/**
 * Whether a rule's labelSelector matches the workload's pods: a set selector (an absent one matches no
 * pod, an empty one every pod of the namespace, not only the workload's) that `selects` them.
 */
function selectsOwn(selector: unknown, labels: Record<string, string>): boolean {
  if (!isObj(selector)) return false;
  const set = Object.keys(obj(selector.matchLabels)).length > 0 || objs(selector.matchExpressions).length > 0;
  return set && selects(selector, labels);
}
