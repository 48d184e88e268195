// What the mesh's non-proxy components use: istio-cni's usage per node agent (a base plus a term per pod), and the load istiod
// configures (connected proxies, services, placed pods, config objects), on a hand-written placement.
import { describe, expect, it } from 'vitest';
import type { PlacedPod, Placement } from '../../src/cluster/index.ts';
import { controlPlaneLoad, MESH_COMPONENTS, nodeAgentUsage, podsPerNode } from '../../src/mesh/index.ts';
import { ISTIO_CNI_USAGE } from '../../src/scenario/defaults.ts';
import type { Scenario } from '../../src/scenario/index.ts';
import { handScenario } from '../helpers/scenario-text.ts';

const pod = (kind: string, node: number, hasSidecar = false, owner = kind) =>
  ({ kind, node, hasSidecar, owner }) as PlacedPod;

describe('mesh control plane and node agents', () => {
  const placement = {
    pods: [
      pod('app', 0, true, 'ns/a'),
      pod('app', 1, true, 'ns/b'),
      pod('app', -1, true, 'ns/a'), // unschedulable: neither a pod nor a proxy istiod sees
      pod('client', 0),
      pod('ztunnel', 0),
      pod('ztunnel', 1),
      pod('waypoint', 1),
      pod('istio-cni', 0),
    ],
  } as unknown as Placement;
  const s = {
    services: [
      { key: 'ns/a', sidecarScope: 'callees', calls: [] },
      { key: 'ns/b', sidecarScope: 'mesh' },
      { key: 'ns/c' },
    ],
    waypoints: [{}],
    traffic: [],
    mesh: { sidecar: { scope: 'mesh' } },
  } as unknown as Scenario;

  it('istiod configures every placed proxy, service, pod and config object', () => {
    // The steady churn reaches a's sidecar (scoped: it sees its own service, 1 of 3) for a third of its
    // changes, every other proxy (b's unscoped sidecar, two ztunnels, a waypoint) for all of them.
    expect(controlPlaneLoad(s, placement)).toEqual({
      proxies: 5,
      steadyReach: 1 / 3 + 4,
      services: 3,
      pods: 7,
      configObjects: 2,
    });
  });

  it('only istio-cni pods are node agents; usage grows with the other pods on their node', () => {
    const mesh = { istioCni: { usage: ISTIO_CNI_USAGE } } as unknown as Scenario['mesh'];
    // Node 0 runs the sidecar app, the client, a ztunnel and the agent: 3 others.
    const onNode = Int32Array.of(4, 3);
    const u = ISTIO_CNI_USAGE;
    expect(placement.pods.map((p) => nodeAgentUsage(p, mesh, onNode) ?? null)).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      { cpu: u.cpuBase + 3 * u.cpuPerPod, memory: u.memoryBase + 3 * u.memoryPerPod },
    ]);
    const placed = { ...placement, nodes: [{}, {}] } as unknown as Placement;
    expect([...podsPerNode(placed)]).toEqual([4, 3]);
    // A busier node's agent uses more: 100 other pods, against none.
    const busy = nodeAgentUsage(placement.pods[7]!, mesh, Int32Array.of(101))!;
    const idle = nodeAgentUsage(placement.pods[7]!, mesh, Int32Array.of(1))!;
    expect(busy.memory - idle.memory).toBe(100 * u.memoryPerPod);
    expect(idle).toEqual({ cpu: u.cpuBase, memory: u.memoryBase });
  });

  it('istio-cni usage is overridable from mesh.istioCni.usage', () => {
    const s = handScenario({
      label: 'ambient',
      mesh: '  istioCni: { usage: { memoryBase: 10Mi, cpuPerPod: 1m } }',
    });
    expect(s.mesh.istioCni.usage).toEqual({
      ...ISTIO_CNI_USAGE,
      memoryBase: 10 * 1024 * 1024,
      cpuPerPod: 0.001,
    });
  });

  it('one list of mesh components, without the workload', () => {
    expect([...MESH_COMPONENTS].sort()).toEqual(['istio-cni', 'istiod', 'sidecar', 'waypoint', 'ztunnel']);
  });
});
