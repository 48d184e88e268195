// What the mesh's non-proxy components use: istio-cni's idle usage per node agent, and the load istiod
// configures (connected proxies, services, placed pods, config objects), on a hand-written placement.
import { describe, expect, it } from 'vitest';
import type { PlacedPod, Placement } from '../../src/cluster/index.ts';
import { controlPlaneLoad, MESH_COMPONENTS, nodeAgentUsage } from '../../src/mesh/index.ts';
import { ISTIO_CNI_USAGE } from '../../src/scenario/defaults.ts';
import type { Scenario } from '../../src/scenario/index.ts';

const pod = (kind: string, node: number, hasSidecar = false) => ({ kind, node, hasSidecar }) as PlacedPod;

describe('mesh control plane and node agents', () => {
  const placement = {
    pods: [
      pod('app', 0, true),
      pod('app', 1, true),
      pod('app', -1, true), // unschedulable: neither a pod nor a proxy istiod sees
      pod('client', 0),
      pod('ztunnel', 0),
      pod('ztunnel', 1),
      pod('waypoint', 1),
      pod('istio-cni', 0),
    ],
  } as unknown as Placement;
  const s = {
    services: [{ sidecarScope: 'callees' }, { sidecarScope: 'mesh' }, {}],
    waypoints: [{}],
  } as unknown as Scenario;

  it('istiod configures every placed proxy, service, pod and config object', () => {
    expect(controlPlaneLoad(s, placement)).toEqual({ proxies: 5, services: 3, pods: 7, configObjects: 2 });
  });

  it('only istio-cni pods are node agents with a fixed idle usage', () => {
    expect(placement.pods.map((p) => nodeAgentUsage(p) ?? null)).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      ISTIO_CNI_USAGE,
    ]);
  });

  it('one list of mesh components, without the workload', () => {
    expect([...MESH_COMPONENTS].sort()).toEqual(['istio-cni', 'istiod', 'sidecar', 'waypoint', 'ztunnel']);
  });
});
