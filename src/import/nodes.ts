// Node objects (in a `kubectl get nodes -o yaml` dump) -> node pools: one pool per instance type, the
// zones the nodes are in, spot when the provider's capacity label says so. Well-known labels from
// kubernetes.io/docs/reference/labels-annotations-taints/ (node.kubernetes.io/instance-type,
// topology.kubernetes.io/zone) and the providers' capacity-type labels.
import { findInstanceType, parseCpu, parseMemory } from '../scenario/index.ts';
import { type Json, num, obj, objs, str, stringMap } from './fields.ts';
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

/**
 * The label sets of the nodes an imported scenario runs on: the overlay's pools', else the Node
 * objects', else none known (the assumed pool has no labels).
 */
export function knownNodeLabels(inv: Inventory, overlayCluster: unknown): Record<string, string>[] {
  if (overlayCluster !== undefined)
    return objs(obj(overlayCluster).nodePools).map((p) => stringMap(p.labels));
  return inv.of('Node').map((n) => n.labels);
}

/** A Node's taints as the scenario writes them (effects kube-scheduler knows). */
function taintsOf(body: Json): Json[] {
  return objs(obj(body.spec).taints).flatMap((t) => {
    const key = str(t.key);
    const effect = str(t.effect);
    if (!key || (effect !== 'NoSchedule' && effect !== 'PreferNoSchedule' && effect !== 'NoExecute'))
      return [];
    const value = str(t.value);
    return [{ key, ...(value ? { value } : {}), effect }];
  });
}

/**
 * One pool per instance type and capacity type, split further by the labels the workloads' nodeSelectors
 * name (`selectedKeys`) and by the nodes' taints, which the pools then carry.
 */
export function poolsFromNodes(
  inv: Inventory,
  notes: Notes,
  selectedKeys: ReadonlySet<string>,
): Json | undefined {
  const nodes = inv.of('Node');
  if (nodes.length === 0) return undefined;
  const groups = new Map<string, typeof nodes>();
  const shape = new Map<string, { labels: Record<string, string>; taints: Json[] }>();
  for (const n of nodes) {
    const type =
      n.labels['node.kubernetes.io/instance-type'] ??
      n.labels['beta.kubernetes.io/instance-type'] ??
      'unknown';
    const spot = SPOT_LABELS.some(([k, v]) => n.labels[k] === v);
    const labels: Record<string, string> = {};
    for (const k of [...selectedKeys].sort()) if (n.labels[k] !== undefined) labels[k] = n.labels[k]!;
    const taints = taintsOf(n.body);
    const key = `${type}\u0000${spot}\u0000${JSON.stringify(labels)}\u0000${JSON.stringify(taints)}`;
    groups.set(key, [...(groups.get(key) ?? []), n]);
    shape.set(key, { labels, taints });
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
      const { labels, taints } = shape.get(key)!;
      if (Object.keys(labels).length > 0) pool.labels = labels;
      if (taints.length > 0) pool.taints = taints;
      return pool;
    });
  notes.before(
    ['cluster', 'nodePools'],
    `from ${nodes.length} Node object(s), one pool per instance type, capacity type, taints and the labels nodeSelectors name (custom types: capacity from the first node; price: OpenCost defaults)`,
  );
  return { nodePools: pools };
}
