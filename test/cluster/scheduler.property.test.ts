import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isDaemonSet,
  minNodesLowerBound,
  type Placement,
  place,
  podRequests,
} from '../../src/cluster/index.ts';
import type { Architecture, DataplaneMode, Scenario } from '../../src/scenario/types.ts';
import { entry, frozen, Gi, Mi, ns, pool, scenario, service, waypoint } from './fixtures.ts';

const MODES: DataplaneMode[] = ['none', 'sidecar', 'ambient'];
const ARCHS: Architecture[] = ['none', 'sidecar', 'ambient', 'as-labelled'];

const arbPool = (name: string) =>
  fc.record({
    name: fc.constant(name),
    count: fc.integer({ min: 0, max: 5 }),
    vcpu: fc.constantFrom(0.5, 1, 2, 4, 8),
    memory: fc.constantFrom(1, 2, 4, 16).map((g) => g * Gi),
    zones: fc.constantFrom<string[]>(['a'], ['a', 'b'], ['a', 'b', 'c']),
    maxPods: fc.integer({ min: 1, max: 20 }),
    systemReserved: fc.record({ cpu: fc.constantFrom(0, 0.06, 0.3), memory: fc.constantFrom(0, 300 * Mi) }),
  });

const arbService = fc.record({
  ns: fc.integer({ min: 0, max: 2 }),
  replicas: fc.integer({ min: 0, max: 8 }),
  cpu: fc.constantFrom(0, 0.05, 0.1, 0.25, 0.5, 1, 3),
  memory: fc.constantFrom(0, 64, 256, 1024, 3000).map((m) => m * Mi),
  sidecarPods: fc.integer({ min: 0, max: 8 }),
  inject: fc.boolean(),
});

const arbScenario: fc.Arbitrary<Scenario> = fc
  .record({
    pools: fc.tuple(arbPool('p'), arbPool('q')),
    modes: fc.tuple(...MODES.map(() => fc.constantFrom(...MODES))),
    services: fc.array(arbService, { maxLength: 6 }),
    waypointReplicas: fc.integer({ min: 0, max: 3 }),
    clients: fc.integer({ min: 0, max: 3 }),
    clientMode: fc.constantFrom<Array<DataplaneMode | 'same-as-target'>>(
      'none',
      'sidecar',
      'ambient',
      'same-as-target',
    ),
  })
  .map((r) =>
    frozen(
      scenario({
        pools: r.pools.map((p) => pool(p)),
        namespaces: r.modes.map((m, i) => ns(`n${i}`, m)),
        services: r.services.map((v, i) =>
          service(`n${v.ns}/s${i}`, {
            replicas: v.replicas,
            resources: { requests: { cpu: v.cpu, memory: v.memory } },
            sidecarPods: Math.min(v.sidecarPods, v.replicas),
            inject: v.inject,
          }),
        ),
        waypoints: r.waypointReplicas > 0 ? [waypoint('n2', 'wp', { replicas: r.waypointReplicas })] : [],
        traffic:
          r.services.length > 0 && r.clients > 0
            ? [entry('load', `n${r.services[0]?.ns}/s0`, { clients: r.clients, clientMode: r.clientMode })]
            : [],
      }),
    ),
  );

const arbArch = fc.constantFrom(...ARCHS);
const TOL = 1e-6;

function checkInvariants(p: Placement): void {
  const cpu = new Float64Array(p.nodes.length);
  const mem = new Float64Array(p.nodes.length);
  const count = new Int32Array(p.nodes.length);
  const unschedulable = new Set(p.unschedulable.map((u) => u.pod));
  expect(unschedulable.size).toBe(p.unschedulable.length);
  for (const pod of p.pods) {
    if (pod.node < 0) {
      // A standby pod (room its autoscaler may take later) is not scheduled, and not unschedulable.
      expect(unschedulable.has(pod.index)).toBe(!pod.standby);
      continue;
    }
    expect(unschedulable.has(pod.index)).toBe(false);
    if (pod.pinnedNode !== undefined) expect(pod.node).toBe(pod.pinnedNode);
    const r = podRequests(pod);
    cpu[pod.node]! += r.cpu;
    mem[pod.node]! += r.memory;
    count[pod.node]! += 1;
  }
  for (const node of p.nodes) {
    const i = node.index;
    expect(cpu[i]).toBeLessThanOrEqual(node.allocatable.cpu + TOL);
    expect(mem[i]).toBeLessThanOrEqual(node.allocatable.memory + TOL);
    expect(count[i]).toBeLessThanOrEqual(node.maxPods);
    const req = p.requested[i]!;
    expect(req.pods).toBe(count[i]);
    expect(req.total.cpu).toBeCloseTo(cpu[i]!, 9);
    expect(req.total.memory).toBeCloseTo(mem[i]!, 3);
  }
  // Requests only grow, so a pod that found no room then finds none at the end either.
  for (const u of p.unschedulable) {
    const pod = p.pods[u.pod]!;
    const r = podRequests(pod);
    const room = p.nodes.some(
      (n) =>
        (pod.pinnedNode === undefined || pod.pinnedNode === n.index) &&
        count[n.index]! < n.maxPods &&
        cpu[n.index]! + r.cpu <= n.allocatable.cpu + 1e-9 &&
        mem[n.index]! + r.memory <= n.allocatable.memory + 1e-9,
    );
    expect(room).toBe(false);
    expect(u.reason).toMatch(/^(0\/\d+ nodes are available: .+\.|no nodes available to schedule pods)$/);
  }
  const nonDaemon = new Set(p.pods.filter((x) => x.node >= 0 && !isDaemonSet(x)).map((x) => x.node));
  expect(p.nodesUsed).toBe(nonDaemon.size);
}

describe('place: properties', () => {
  it('never overcommits a node, and every pod is placed or listed unschedulable', () => {
    fc.assert(
      fc.property(arbScenario, arbArch, (s, arch) => {
        checkInvariants(place(s, arch));
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(arbScenario, arbArch, (s, arch) => {
        expect(place(s, arch)).toEqual(place(s, arch));
      }),
      { numRuns: 100 },
    );
  });

  it('fewer nodes than the lower bound always leave a pod unschedulable', () => {
    fc.assert(
      fc.property(arbScenario, arbArch, (s, arch) => {
        const bound = minNodesLowerBound(s, arch, 'p');
        if (!Number.isFinite(bound) || bound < 1) return;
        const p = place(s, arch, { pools: { p: bound - 1, q: 0 } });
        expect(p.pods.filter((x) => x.node < 0 && !isDaemonSet(x)).length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });
});
