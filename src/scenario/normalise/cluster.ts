import { DEFAULT_ZONE } from '../assumptions.ts';
import { findInstanceType, INSTANCE_TYPES, openCostPrice, systemReserved } from '../catalogue.ts';
import { DEFAULT_MAX_PODS, DEFAULT_NETWORK } from '../defaults.ts';
import type { Problems } from '../pending.ts';
import type { RawScenario } from '../schema/index.ts';
import type { NetworkSpec, NodePool } from '../types.ts';
import { overlay } from './merge.ts';

type RawPool = RawScenario['cluster']['nodePools'][number];

const CATALOGUE_NAMES = INSTANCE_TYPES.map((t) => t.name);

function pool(raw: RawPool, at: PropertyKey[], discount: number, problems: Problems): NodePool {
  const type = findInstanceType(raw.instanceType);
  const custom = raw.instanceType === 'custom';
  if (!type && !custom) {
    problems.add(
      [...at, 'instanceType'],
      `an instance type of the catalogue (${CATALOGUE_NAMES.join(', ')}) or custom`,
      {
        candidates: [...CATALOGUE_NAMES, 'custom'],
      },
    );
  }
  if (custom) {
    for (const field of ['vcpu', 'memory'] as const) {
      if (raw[field] === undefined) problems.add([...at, field], `the ${field} of a custom instance type`);
    }
  }
  const vcpu = raw.vcpu ?? type?.vcpu ?? 0;
  const memory = raw.memory ?? type?.memory ?? 0;
  const maxPods = raw.maxPods ?? type?.maxPods ?? DEFAULT_MAX_PODS;
  const price = raw.pricePerHour ?? type?.pricePerHour ?? openCostPrice(vcpu, memory);
  return {
    name: raw.name,
    instanceType: raw.instanceType,
    vcpu,
    memory,
    pricePerHour: price * (1 - discount),
    count: raw.count,
    zones: raw.zones ? [...raw.zones] : [DEFAULT_ZONE],
    ...(raw.region !== undefined ? { region: raw.region } : {}),
    maxPods,
    systemReserved: overlay(
      systemReserved(type?.provider ?? 'custom', vcpu, memory, maxPods),
      raw.systemReserved,
    ),
    spot: raw.spot,
    ...(raw.labels && Object.keys(raw.labels).length > 0 ? { labels: { ...raw.labels } } : {}),
    ...(raw.taints && raw.taints.length > 0
      ? {
          taints: raw.taints.map((t) => ({
            key: t.key,
            effect: t.effect,
            ...(t.value !== undefined ? { value: t.value } : {}),
          })),
        }
      : {}),
  };
}

export function normalisePools(
  raw: RawScenario['cluster'],
  discount: number,
  problems: Problems,
): NodePool[] {
  const seen = new Set<string>();
  return raw.nodePools.map((p, i) => {
    const at = ['cluster', 'nodePools', i];
    if (seen.has(p.name)) problems.add([...at, 'name'], 'a node pool name not used before');
    seen.add(p.name);
    return pool(p, at, discount, problems);
  });
}

export function normaliseNetwork(raw: RawScenario['cluster']['network']): NetworkSpec {
  return overlay(DEFAULT_NETWORK, raw);
}
