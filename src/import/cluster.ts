// The node pool of an imported scenario. Manifests of workloads do not describe nodes, so the pool is
// assumed (and said so): the default node type, enough nodes to hold every pod's requests at a target
// fill, and never fewer than one node per zone of a three-zone region.
import { findInstanceType, parseCpu, parseMemory, systemReserved } from '../scenario/index.ts';
import { DEFAULT_INSTANCE_TYPE, MAX_NODES, MIN_NODES, TARGET_NODE_FILL } from './defaults.ts';
import { type Json, num, obj, str } from './fields.ts';
import type { Notes } from './notes.ts';

/**
 * `traffic`: entry points whose load-generator pods request resources (`clientPod`) are counted too;
 * `perNode`: what the platform's DaemonSets request on every node (their pods run on each).
 */
export function sizeCluster(
  services: readonly Json[],
  notes: Notes,
  traffic: readonly Json[] = [],
  perNode: { cpu: number; memory: number; pods: number } = { cpu: 0, memory: 0, pods: 0 },
): Json {
  const type = findInstanceType(DEFAULT_INSTANCE_TYPE)!;
  const reserved = systemReserved(type.provider, type.vcpu, type.memory, type.maxPods);
  // At least a sliver per node, so that DaemonSets filling a node ask for the most nodes, not a division by 0.
  const cpuFree = Math.max(1e-3, (type.vcpu - reserved.cpu) * TARGET_NODE_FILL - perNode.cpu);
  const memFree = Math.max(2 ** 20, (type.memory - reserved.memory) * TARGET_NODE_FILL - perNode.memory);
  const podsFree = Math.max(1, type.maxPods * TARGET_NODE_FILL - perNode.pods);
  let cpu = 0;
  let memory = 0;
  let pods = 0;
  const add = (r: number, resources: unknown) => {
    const req = obj(obj(resources).requests);
    cpu += r * parseCpu(str(req.cpu) ?? '0');
    memory += r * parseMemory(str(req.memory) ?? '0');
    pods += r;
  };
  for (const s of services) {
    // A service with versions: each version's pods, with its own requests where it has them.
    const versions = Array.isArray(s.versions) ? (s.versions as Json[]) : undefined;
    if (versions) for (const v of versions) add(num(v.replicas) ?? 1, v.resources ?? s.resources);
    else add(num(s.replicas) ?? 1, s.resources);
  }
  for (const t of traffic)
    if (obj(t.clientPod).resources) add(num(t.clients) ?? 1, obj(t.clientPod).resources);
  const needed = Math.max(
    MIN_NODES,
    Math.ceil(cpu / cpuFree),
    Math.ceil(memory / memFree),
    Math.ceil(pods / podsFree),
  );
  // Beyond Kubernetes' largest supported cluster the requests cannot be right; the simulation then shows
  // the pods that do not fit.
  const count = Math.min(needed, MAX_NODES);
  if (needed > MAX_NODES)
    notes.warnings.push(
      `the imported requests need ${needed} nodes; the pool is capped at ${MAX_NODES}, the largest cluster Kubernetes supports`,
    );
  notes.before(
    ['cluster', 'nodePools', 0],
    `assumed: the manifests do not describe nodes; ${count} x ${type.name} hold the imported requests ` +
      `(${cpu.toFixed(2)} CPU, ${(memory / 2 ** 30).toFixed(2)} GiB, ${pods} pods) at ${Math.round(TARGET_NODE_FILL * 100)}% of allocatable` +
      (perNode.pods > 0
        ? ` less what DaemonSets request on each (${perNode.cpu.toFixed(2)} CPU, ${(perNode.memory / 2 ** 30).toFixed(2)} GiB, ${perNode.pods} pods), `
        : ', ') +
      `at least ${MIN_NODES} nodes (one per zone); set your own pools here`,
  );
  return {
    nodePools: [{ name: 'default', instanceType: type.name, count, zones: ['zone-a', 'zone-b', 'zone-c'] }],
  };
}
