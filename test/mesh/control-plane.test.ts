// What the mesh's non-proxy components use: istio-cni's usage per node agent (a base plus a term per pod), and the load istiod
// configures (connected proxies, services, placed pods, config objects), on a hand-written placement.
import { describe, expect, it } from 'vitest';
import type { PlacedPod, Placement } from '../../src/cluster/index.ts';
import { place } from '../../src/cluster/index.ts';
import {
  controlPlaneLoad,
  istiodUsage,
  MESH_COMPONENTS,
  nodeAgentUsage,
  podsPerNode,
} from '../../src/mesh/index.ts';
import { ISTIO_CNI_USAGE } from '../../src/scenario/defaults.ts';
import { parseScenario, type Scenario } from '../../src/scenario/index.ts';
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
      // A routing or policy object's change: the same for the sidecars and the waypoint, none to ztunnel.
      objectReach: 1 / 3 + 1 + 1,
      services: 3,
      pods: 7,
      configObjects: 2,
    });
  });

  it('an ingress gateway is one more proxy every push reaches where istiod runs, none without a mesh', () => {
    const gateway = pod('gateway', 0);
    const meshed = { pods: [...placement.pods, gateway] } as unknown as Placement;
    const base = controlPlaneLoad(s, placement);
    expect(controlPlaneLoad(s, meshed)).toMatchObject({
      proxies: base.proxies + 1,
      steadyReach: base.steadyReach! + 1,
      objectReach: base.objectReach! + 1,
    });
    // No sidecar, ztunnel, waypoint or istiod: no istiod, and the gateway is connected to nothing.
    const plain = { pods: [pod('app', 0, false, 'ns/a'), gateway] } as unknown as Placement;
    expect(controlPlaneLoad(s, plain)).toMatchObject({ proxies: 0, steadyReach: 0, objectReach: 0 });
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

  // istio.io's waypoint blog (https://github.com/istio/istio.io/pull/13291, SOURCES.md section 4): a
  // namespace of 25 deployments of 10 pods with 2 waypoints: the waypoints receive 0.8 % of the
  // configuration pushes the sidecars do (25 configurations x 2 waypoints against x 250 sidecars).
  it('a namespace of 25 deployments x 10 pods: its 2 waypoints get 0.8 % of the routing pushes of its sidecars', () => {
    const services = Array.from(
      { length: 25 },
      (_, i) => `  - { name: s${i}, replicas: 10, serviceTime: 1ms }`,
    );
    const text = (ambient: boolean) => `
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: fan-out }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 30 }]
namespaces:
  - name: team
    labels: { ${ambient ? 'istio.io/dataplane-mode: ambient, istio.io/use-waypoint: wp' : 'istio-injection: enabled'} }
${ambient ? 'waypoints: [{ name: wp, namespace: team, replicas: 2 }]\n' : ''}services:
${services.map((x) => x.replace('{ name', '{ namespace: team, name')).join('\n')}
traffic: [{ name: load, to: s0.team, rate: 10/s }]
mesh: { istiod: { configChangesPerSecond: 0/s, configObjectChangesPerSecond: 1/s } }
compare: [${ambient ? 'ambient' : 'sidecar'}]
`;
    const reach = (ambient: boolean) => {
      const s = parseScenario(text(ambient), 'fan-out.yaml');
      const pl = place(s, ambient ? 'ambient' : 'sidecar');
      expect(pl.pods.filter((p) => p.node < 0 && p.kind !== 'istiod')).toEqual([]);
      return istiodUsage(s.mesh, controlPlaneLoad(s, pl)).pushesPerSecond;
    };
    expect(reach(false)).toBe(250);
    expect(reach(true)).toBe(2);
    expect(reach(true) / reach(false)).toBe(0.008);
  });

  it('one list of mesh components, without the workload', () => {
    expect([...MESH_COMPONENTS].sort()).toEqual(['istio-cni', 'istiod', 'sidecar', 'waypoint', 'ztunnel']);
  });
});
