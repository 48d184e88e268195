// A workload's nodeSelector and tolerations as written, kept only when given (so scenarios without them
// hash and print as before).
import type {
  NodeAffinity,
  NodeSelectorRequirement,
  Scheduling,
  Toleration,
  TopologyRule,
} from '../types.ts';

type TopologyKey = TopologyRule['topologyKey'];

interface RawScheduling {
  podAntiAffinity?: TopologyKey[] | undefined;
  preferredPodAntiAffinity?: Array<{ weight: number; topologyKey: TopologyKey }> | undefined;
  topologySpreadConstraints?:
    | Array<{
        maxSkew: number;
        topologyKey: TopologyKey;
        whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway';
        minDomains?: number | undefined;
        matchLabelKeys?: string[] | undefined;
      }>
    | undefined;
  nodeSelector?: Record<string, string> | undefined;
  nodeAffinity?:
    | {
        required?: Array<{ matchExpressions: RawRequirement[] }> | undefined;
        preferred?: Array<{ weight: number; matchExpressions: RawRequirement[] }> | undefined;
      }
    | undefined;
  tolerations?:
    | Array<{
        key?: string | undefined;
        operator: Toleration['operator'];
        value?: string | undefined;
        effect?: Toleration['effect'] | undefined;
      }>
    | undefined;
}

interface RawRequirement {
  key: string;
  operator: NodeSelectorRequirement['operator'];
  values?: string[] | undefined;
}

function requirements(list: RawRequirement[]): NodeSelectorRequirement[] {
  return list.map((r) => ({
    key: r.key,
    operator: r.operator,
    ...(r.values ? { values: [...r.values] } : {}),
  }));
}

// The pods of one workload share every label but the pod-template-hash its ReplicaSet adds, so that is
// the one matchLabelKeys entry that narrows a selector over its own pods; other keys change nothing.
const REVISION_LABEL = 'pod-template-hash';

function perRevision(keys: string[] | undefined): { perRevision?: true } {
  return keys?.includes(REVISION_LABEL) ? { perRevision: true } : {};
}

export function normaliseScheduling(raw: RawScheduling): Scheduling | undefined {
  const out: Scheduling = {};
  if (raw.nodeSelector && Object.keys(raw.nodeSelector).length > 0)
    out.nodeSelector = { ...raw.nodeSelector };
  const affinity: NodeAffinity = {};
  if (raw.nodeAffinity?.required)
    affinity.required = raw.nodeAffinity.required.map((t) => ({
      matchExpressions: requirements(t.matchExpressions),
    }));
  if (raw.nodeAffinity?.preferred && raw.nodeAffinity.preferred.length > 0)
    affinity.preferred = raw.nodeAffinity.preferred.map((t) => ({
      weight: t.weight,
      matchExpressions: requirements(t.matchExpressions),
    }));
  if (affinity.required || affinity.preferred) out.nodeAffinity = affinity;
  if (raw.tolerations && raw.tolerations.length > 0) {
    out.tolerations = raw.tolerations.map((t) => {
      const o: Toleration = { operator: t.operator };
      if (t.key !== undefined) o.key = t.key;
      if (t.value !== undefined) o.value = t.value;
      if (t.effect !== undefined) o.effect = t.effect;
      return o;
    });
  }
  const rules: TopologyRule[] = [
    ...(raw.podAntiAffinity ?? []).map((topologyKey) => ({ kind: 'anti-affinity' as const, topologyKey })),
    ...(raw.topologySpreadConstraints ?? [])
      .filter((c) => c.whenUnsatisfiable === 'DoNotSchedule')
      .map((c) => ({
        kind: 'spread' as const,
        topologyKey: c.topologyKey,
        maxSkew: c.maxSkew,
        ...(c.minDomains !== undefined ? { minDomains: c.minDomains } : {}),
        ...perRevision(c.matchLabelKeys),
      })),
  ];
  if (rules.length > 0) out.topologyRules = rules;
  const soft = (raw.topologySpreadConstraints ?? [])
    .filter((c) => c.whenUnsatisfiable === 'ScheduleAnyway')
    .map((c) => ({ topologyKey: c.topologyKey, maxSkew: c.maxSkew, ...perRevision(c.matchLabelKeys) }));
  if (soft.length > 0) out.softSpread = soft;
  const preferred = (raw.preferredPodAntiAffinity ?? []).map((t) => ({
    weight: t.weight,
    topologyKey: t.topologyKey,
  }));
  if (preferred.length > 0) out.preferredAntiAffinity = preferred;
  return out.nodeSelector ||
    out.nodeAffinity ||
    out.tolerations ||
    out.topologyRules ||
    out.softSpread ||
    out.preferredAntiAffinity
    ? out
    : undefined;
}
