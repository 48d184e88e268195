// Node objects (in a `kubectl get nodes -o yaml` dump) -> node pools: one pool per instance type, the
// zones the nodes are in, spot when the provider's capacity label says so. Well-known labels from
// kubernetes.io/docs/reference/labels-annotations-taints/ (node.kubernetes.io/instance-type,
// topology.kubernetes.io/zone) and the providers' capacity-type labels.
import { findInstanceType, parseCpu, parseMemory } from '../scenario/index.ts';
import { type Json, num, obj, str } from './fields.ts';
import type { Inventory } from './inventory.ts';
import type { Notes } from './notes.ts';

const SPOT_LABELS: Array<[string, string]> = [
  ['eks.amazonaws.com/capacityType', 'SPOT'],
  ['karpenter.sh/capacity-type', 'spot'],
  ['cloud.google.com/gke-spot', 'true'],
  ['kubernetes.azure.com/scalesetpriority', 'spot'],
];

function poolName(type: string, taken: Set<string>): string {
  const base =
    type
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 50) || 'nodes';
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}-${i}`;
  taken.add(name);
  return name;
}

export function poolsFromNodes(inv: Inventory, notes: Notes): Json | undefined {
  const nodes = inv.of('Node');
  if (nodes.length === 0) return undefined;
  const groups = new Map<string, typeof nodes>();
  for (const n of nodes) {
    const type =
      n.labels['node.kubernetes.io/instance-type'] ??
      n.labels['beta.kubernetes.io/instance-type'] ??
      'unknown';
    const spot = SPOT_LABELS.some(([k, v]) => n.labels[k] === v);
    const key = `${type}\u0000${spot}`;
    groups.set(key, [...(groups.get(key) ?? []), n]);
  }
  const taken = new Set<string>();
  const pools = [...groups]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, ns]) => {
      const [type, spot] = key.split('\u0000') as [string, string];
      const zones = [...new Set(ns.map((n) => n.labels['topology.kubernetes.io/zone'] ?? 'zone-a'))].sort();
      const pool: Json = {
        name: poolName(`${type}${spot === 'true' ? '-spot' : ''}`, taken),
        count: ns.length,
        zones,
      };
      if (findInstanceType(type)) pool.instanceType = type;
      else {
        const cap = obj(obj(ns[0]!.body.status).capacity);
        pool.instanceType = 'custom';
        pool.vcpu = str(cap.cpu) !== undefined ? parseCpu(str(cap.cpu)!) : 2;
        pool.memory = str(cap.memory) !== undefined ? parseMemory(str(cap.memory)!) : 8 * 2 ** 30;
        const pods = num(cap.pods);
        if (pods !== undefined) pool.maxPods = pods;
      }
      if (spot === 'true') pool.spot = true;
      return pool;
    });
  notes.before(
    ['cluster', 'nodePools'],
    `from ${nodes.length} Node object(s), one pool per instance type (custom types: capacity from the first node; price: OpenCost defaults)`,
  );
  return { nodePools: pools };
}
