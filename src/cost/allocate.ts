// OpenCost-style allocation of node cost to the containers on the node. A container is charged
// max(request, usage) per resource at its node's unit rates (OpenCost spec v01). Usage is known per
// component for the whole cluster, not per pod, so each component's usage is spread over its pods in
// proportion to their requests: every pod of a component is then charged its request times
// max(1, used / requested) of that component. A component that uses resources but requests none has its
// usage shared evenly by its pods.
// An autoscaled workload's pods come and go during the run: each node is charged its requests for the
// pods it hosted, time-weighted over the measured window (`hosted`, from the autoscaling results), not
// for the pods placed at the start.
import { COMPONENTS, type Component, type Placement, type PodSpec } from '../cluster/index.ts';
import type { Resources } from '../scenario/index.ts';
import { nodeRates, type UnitRates } from './rates.ts';

/** Hourly dollars charged, per resource. */
export interface Charge {
  cpu: number;
  memory: number;
}

export interface Allocation {
  byComponent: Map<Component, Charge>;
  byNamespace: Map<string, number>;
  /** Per node: $ per hour allocated to its containers. */
  perNode: number[];
}

interface Scale {
  /** Multiplier on a request (max(1, used / requested)), or, when nothing is requested, usage per pod. */
  factor: number;
  perPod: number;
}

function scales(requested: number, used: number, pods: number): Scale {
  if (requested > 0) return { factor: Math.max(1, used / requested), perPod: 0 };
  return { factor: 0, perPod: pods > 0 ? used / pods : 0 };
}

/** Pods (time-weighted, fractional) of an autoscaled owner on each node. */
export type Hosted = ReadonlyMap<string, ReadonlyArray<{ node: number; pods: number }>>;

/** Every pod charged: (pod spec, node, how many of it), from the placement or from what was hosted. */
function charged(p: Placement, hosted: Hosted): Array<{ pod: PodSpec; node: number; count: number }> {
  const out: Array<{ pod: PodSpec; node: number; count: number }> = [];
  for (const pod of p.pods)
    if (pod.node >= 0 && !hosted.has(pod.owner)) out.push({ pod, node: pod.node, count: 1 });
  for (const [owner, nodes] of hosted) {
    const first = p.byOwner.get(owner)?.[0];
    if (first === undefined) continue;
    for (const h of nodes) out.push({ pod: p.pods[first]!, node: h.node, count: h.pods });
  }
  return out;
}

export function allocate(
  p: Placement,
  used: ReadonlyMap<Component, Resources>,
  hosted: Hosted = new Map(),
): Allocation {
  const rates: UnitRates[] = p.nodes.map((n) => nodeRates(n.capacity.cpu, n.capacity.memory, n.pricePerHour));
  const requested = new Map<Component, Resources>();
  const pods = new Map<Component, number>();
  const all = charged(p, hosted);
  for (const { pod, count } of all) {
    for (const c of COMPONENTS) {
      const r = pod.requests[c];
      if (!r) continue;
      const acc = requested.get(c) ?? { cpu: 0, memory: 0 };
      requested.set(c, { cpu: acc.cpu + r.cpu * count, memory: acc.memory + r.memory * count });
      pods.set(c, (pods.get(c) ?? 0) + count);
    }
  }
  const scale = new Map<Component, { cpu: Scale; memory: Scale }>();
  for (const [c, req] of requested) {
    const u = used.get(c) ?? { cpu: 0, memory: 0 };
    const k = pods.get(c) ?? 0;
    scale.set(c, { cpu: scales(req.cpu, u.cpu, k), memory: scales(req.memory, u.memory, k) });
  }

  const byComponent = new Map<Component, Charge>();
  const byNamespace = new Map<string, number>();
  const perNode = p.nodes.map(() => 0);
  for (const { pod, node, count } of all) {
    const rate = rates[node]!;
    for (const c of COMPONENTS) {
      const r = pod.requests[c];
      const k = scale.get(c);
      if (!r || !k) continue;
      const cpu = (r.cpu * k.cpu.factor + k.cpu.perPod) * count * rate.cpu;
      const memory = (r.memory * k.memory.factor + k.memory.perPod) * count * rate.memory;
      const acc = byComponent.get(c) ?? { cpu: 0, memory: 0 };
      byComponent.set(c, { cpu: acc.cpu + cpu, memory: acc.memory + memory });
      byNamespace.set(pod.namespace, (byNamespace.get(pod.namespace) ?? 0) + cpu + memory);
      perNode[node]! += cpu + memory;
    }
  }
  return { byComponent, byNamespace, perNode };
}
