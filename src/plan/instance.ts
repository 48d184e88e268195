// The node type of a plan candidate: a catalogue entry, or a pool of the scenario (whose overrides of
// price, reserved resources and pod limit are kept).
import {
  findInstanceType,
  INSTANCE_TYPES,
  type NodePool,
  type Scenario,
  systemReserved,
} from '../scenario/index.ts';
import { PlanInputError } from './errors.ts';

/** The pool name every candidate cluster uses. */
export const PLAN_POOL = 'plan';

function poolTypeName(p: NodePool): string {
  return p.instanceType === 'custom' ? p.name : p.instanceType;
}

/** A one-node pool of `type`, in the zones of the scenario's first pool. */
export function candidatePool(s: Scenario, type: string): NodePool {
  const zones = [...(s.cluster.nodePools[0]?.zones ?? [])];
  const own = s.cluster.nodePools.find((p) => poolTypeName(p) === type);
  if (own) return { ...structuredClone(own), name: PLAN_POOL, count: 1, zones };
  const t = findInstanceType(type);
  if (!t) {
    const known = [
      ...new Set([...s.cluster.nodePools.map(poolTypeName), ...INSTANCE_TYPES.map((x) => x.name)]),
    ];
    throw new PlanInputError(`unknown instance type '${type}' (known: ${known.join(', ')})`);
  }
  return {
    name: PLAN_POOL,
    instanceType: t.name,
    vcpu: t.vcpu,
    memory: t.memory,
    // The catalogue lists on-demand prices; the scenario's discount applies as the loader applies it.
    pricePerHour: t.pricePerHour * (1 - s.cost.discount),
    count: 1,
    zones,
    maxPods: t.maxPods,
    systemReserved: systemReserved(t.provider, t.vcpu, t.memory, t.maxPods),
    spot: false,
  };
}

/**
 * Default candidates: the scenario's own node types, then the catalogue's types of the same providers
 * (choosing a node type is half the question a plan answers).
 */
export function defaultTypes(s: Scenario): string[] {
  const own = s.cluster.nodePools.map(poolTypeName);
  const providers = new Set(own.map((n) => findInstanceType(n)?.provider).filter((p) => p !== undefined));
  const same = INSTANCE_TYPES.filter((t) => providers.has(t.provider)).map((t) => t.name);
  return [...new Set([...own, ...same])];
}
