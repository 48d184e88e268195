import { describe, expect, it } from 'vitest';
import { buildNodes, deploy, type PodSpec } from '../../src/cluster/index.ts';
import { DEFAULT_MESH } from '../../src/scenario/defaults.ts';
import { entry, frozen, Gi, Mi, ns, pool, scenario, service, waypoint } from './fixtures.ts';

const s = frozen(
  scenario({
    pools: [pool({ name: 'p', count: 3, zones: ['a', 'b'] })],
    namespaces: [ns('shop', 'sidecar'), ns('billing', 'ambient'), ns('legacy', 'none')],
    services: [
      service('shop/web', { replicas: 2 }),
      service('billing/pay', { replicas: 1 }),
      service('legacy/db', { replicas: 1 }),
    ],
    waypoints: [waypoint('billing', 'pay-waypoint', { replicas: 2 })],
    traffic: [entry('web', 'shop/web', { clients: 2, clientMode: 'same-as-target' })],
  }),
);

const names = (pods: PodSpec[]) => pods.map((p) => p.name);
const sidecar = DEFAULT_MESH.sidecar.resources.requests;
const app = { cpu: 1, memory: 1 * Gi };

describe('deploy', () => {
  it('none: application and client pods only, no mesh component', () => {
    const pods = deploy(s, 'none');
    expect(names(pods)).toEqual([
      'shop/web-0',
      'shop/web-1',
      'billing/pay-0',
      'legacy/db-0',
      'loadgen/web-client-0',
      'loadgen/web-client-1',
    ]);
    expect(pods.every((p) => p.mode === 'none' && !p.hasSidecar && !p.captured)).toBe(true);
    expect(pods[0]?.requests).toEqual({ application: app });
    expect(pods[4]?.requests).toEqual({ client: { cpu: 0, memory: 0 } });
  });

  it('sidecar: a sidecar in every meshed pod, istiod, no ztunnel, cni or waypoint', () => {
    const pods = deploy(s, 'sidecar');
    expect(names(pods)).toEqual([
      'istio-system/istiod-0',
      'shop/web-0',
      'shop/web-1',
      'billing/pay-0',
      'legacy/db-0',
      'loadgen/web-client-0',
      'loadgen/web-client-1',
    ]);
    const byName = new Map(pods.map((p) => [p.name, p]));
    expect(byName.get('istio-system/istiod-0')?.requests).toEqual({
      istiod: DEFAULT_MESH.istiod.resources.requests,
    });
    for (const n of ['shop/web-0', 'shop/web-1', 'billing/pay-0']) {
      expect(byName.get(n)).toMatchObject({ mode: 'sidecar', hasSidecar: true, captured: false });
      expect(byName.get(n)?.requests).toEqual({ application: app, sidecar });
      expect(byName.get(n)?.limits).toEqual({ sidecar: { cpu: 2, memory: 1024 * Mi } });
    }
    expect(byName.get('legacy/db-0')?.requests).toEqual({ application: app });
    expect(byName.get('loadgen/web-client-0')?.requests).toEqual({ client: { cpu: 0, memory: 0 }, sidecar });
  });

  it('sidecar with istio-cni enabled: one cni pod per node pinned to it', () => {
    const t = frozen({
      ...s,
      mesh: { ...s.mesh, istioCni: { ...s.mesh.istioCni, enabledInSidecarMode: true } },
    });
    const cni = deploy(t, 'sidecar').filter((p) => p.kind === 'istio-cni');
    expect(cni.map((p) => [p.name, p.pinnedNode, p.requests])).toEqual(
      [0, 1, 2].map((i) => [`istio-cni-p-${i}`, i, { 'istio-cni': { cpu: 0.1, memory: 100 * Mi } }]),
    );
  });

  it('ambient: a ztunnel and an istio-cni per node, istiod, waypoints, no sidecar', () => {
    const pods = deploy(s, 'ambient');
    expect(names(pods)).toEqual([
      'ztunnel-p-0',
      'ztunnel-p-1',
      'ztunnel-p-2',
      'istio-cni-p-0',
      'istio-cni-p-1',
      'istio-cni-p-2',
      'istio-system/istiod-0',
      'billing/pay-waypoint-0',
      'billing/pay-waypoint-1',
      'shop/web-0',
      'shop/web-1',
      'billing/pay-0',
      'legacy/db-0',
      'loadgen/web-client-0',
      'loadgen/web-client-1',
    ]);
    expect(pods.some((p) => p.hasSidecar || p.requests.sidecar)).toBe(false);
    expect(pods.filter((p) => p.captured).map((p) => p.name)).toEqual([
      'shop/web-0',
      'shop/web-1',
      'billing/pay-0',
      'loadgen/web-client-0',
      'loadgen/web-client-1',
    ]);
    expect(pods[1]).toEqual({
      name: 'ztunnel-p-1',
      kind: 'ztunnel',
      owner: 'ztunnel',
      namespace: 'istio-system',
      ordinal: 1,
      mode: 'none',
      hasSidecar: false,
      captured: false,
      requests: { ztunnel: { cpu: 0.2, memory: 512 * Mi } },
      pinnedNode: 1,
    });
    expect(pods[8]).toMatchObject({
      kind: 'waypoint',
      owner: 'billing/pay-waypoint',
      namespace: 'billing',
      ordinal: 1,
      requests: { waypoint: { cpu: 0.1, memory: 128 * Mi } },
    });
  });

  it('as-labelled: waypoints only in ambient namespaces, sidecars only in sidecar namespaces', () => {
    const t = frozen({ ...s, waypoints: [...s.waypoints, waypoint('shop', 'web-waypoint')] });
    const pods = deploy(t, 'as-labelled');
    expect(pods.filter((p) => p.kind === 'waypoint').map((p) => p.name)).toEqual([
      'billing/pay-waypoint-0',
      'billing/pay-waypoint-1',
    ]);
    expect(pods.filter((p) => p.hasSidecar).map((p) => p.name)).toEqual([
      'shop/web-0',
      'shop/web-1',
      'loadgen/web-client-0',
      'loadgen/web-client-1',
    ]);
    expect(pods.filter((p) => p.kind === 'ztunnel')).toHaveLength(3);
    // ambient arch converts shop too, so its waypoint runs there
    expect(deploy(t, 'ambient').filter((p) => p.kind === 'waypoint')).toHaveLength(3);
  });

  it('as-labelled with nothing captured: no ztunnel, no cni; with nothing meshed: no istiod either', () => {
    const sidecarOnly = frozen(
      scenario({ namespaces: [ns('shop', 'sidecar')], services: [service('shop/web')] }),
    );
    expect(deploy(sidecarOnly, 'as-labelled').map((p) => p.kind)).toEqual(['istiod', 'app']);
    const unmeshed = frozen(scenario({ namespaces: [ns('shop', 'none')], services: [service('shop/web')] }));
    for (const arch of ['as-labelled', 'sidecar'] as const) {
      expect(deploy(unmeshed, arch).map((p) => p.kind)).toEqual(['app']);
    }
    // the ambient profile installs ztunnel and istio-cni on every node even before anything is enrolled
    expect(deploy(unmeshed, 'ambient').map((p) => p.kind)).toEqual([
      'ztunnel',
      'ztunnel',
      'istio-cni',
      'istio-cni',
      'istiod',
      'app',
    ]);
  });

  it('mid-migration: a mix of sidecars and captured pods in one ambient namespace', () => {
    const t = frozen(
      scenario({
        namespaces: [ns('b', 'ambient')],
        services: [service('b/x', { replicas: 3, sidecarPods: 1 })],
      }),
    );
    const apps = deploy(t, 'as-labelled').filter((p) => p.kind === 'app');
    expect(apps.map((p) => [p.name, p.mode, Object.keys(p.requests)])).toEqual([
      ['b/x-0', 'sidecar', ['application', 'sidecar']],
      ['b/x-1', 'ambient', ['application']],
      ['b/x-2', 'ambient', ['application']],
    ]);
  });

  it('DaemonSets follow the node list given, e.g. a pool override', () => {
    const nodes = buildNodes(s, { p: 5 });
    expect(deploy(s, 'ambient', nodes).filter((p) => p.kind === 'ztunnel')).toHaveLength(5);
  });

  it('is deterministic and does not mutate the scenario', () => {
    expect(deploy(s, 'ambient')).toEqual(deploy(s, 'ambient'));
  });
});
