// What applying istiod's pushes costs the proxies that receive them (xds-apply.ts), against a hand count
// of who receives what: a fault of one api sidecar takes its pod out of load balancing and back (two
// debounced pushes of api's endpoints), and its restarted sidecar reconnects (a full push of its own).
import { describe, expect, it } from 'vitest';
import { measure } from '../../../src/simulate/summarise/measure.ts';
import { engineFor, scenario } from '../../events/helpers.ts';

const text = (scope: 'mesh' | 'callees', push = '', api = '', call = '') => `
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: push-cpu }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 3 }]
namespaces: [{ name: default, labels: { istio-injection: enabled } }]
mesh: { istiod: { configChangesPerSecond: 0/s }, sidecar: { scope: ${scope} }${push} }
services:
  - { name: web, replicas: 2, serviceTime: 1ms, calls: [{ to: api${call} }] }
  - { name: api, replicas: 3, serviceTime: 1ms${api} }
  - { name: other, replicas: 5, serviceTime: 1ms }
traffic: [{ name: load, to: web, rate: 50/s }]
events: [{ at: 10s, fault: sidecar, selector: api, recovery: 5s }]
compare: [sidecar]
simulation: { duration: 30s, warmup: 1s, replications: 1 }
`;

// mesh/idle.ts defaults: 2 ms per push, 50 us per cluster and 5 us per endpoint it rebuilds.
const BASE = 0.002;
const CLUSTER = 5e-5;
const ENDPOINT = 5e-6;
/** An incremental push of api's endpoints: one cluster of 3 endpoints rebuilt. */
const API_PUSH = BASE + CLUSTER + 3 * ENDPOINT;

function run(scope: 'mesh' | 'callees', push = '', api = '', call = '') {
  const e = engineFor(scenario(text(scope, push, api, call)), 'sidecar');
  e.run();
  const pushed = e.host.xds.inWindow.reduce((a, b) => a + b, 0);
  const cpu = measure(e).proxies.reduce((a, p) => a + p.cpu, 0) * 29;
  return { pushed, cpu };
}

describe('the CPU proxies spend applying istiod pushes', () => {
  it('scoped sidecars: the callers and api own sidecars apply each api push, the restarted one its whole view', () => {
    // At 10.1 s web's 2 and api's 2 running sidecars (the faulted one is down); at 15 s the restarted one
    // applies its view (api alone: 1 cluster, 3 endpoints); at 15.1 s all 5 apply the second push.
    expect(run('callees').pushed).toBeCloseTo(4 * API_PUSH + API_PUSH + 5 * API_PUSH, 12);
  });

  it('sidecars that see the whole mesh: all 9 running, then 10, and the restarted one holds 3 clusters of 10 endpoints', () => {
    const full = BASE + 3 * CLUSTER + 10 * ENDPOINT;
    expect(run('mesh').pushed).toBeCloseTo(9 * API_PUSH + full + 10 * API_PUSH, 12);
  });

  it('runs on the proxies: their measured CPU grows by what they applied', () => {
    const priced = run('mesh');
    const free = run(
      'mesh',
      ', idle: { envoyPushCpu: 0, envoyPushCpuPerCluster: 0, envoyPushCpuPerEndpoint: 0 }',
    );
    expect(free.pushed).toBe(0);
    // Within one hop of the pushes' work: the runs' requests may end either side of the window's end.
    expect(priced.cpu - free.cpu).toBeCloseTo(priced.pushed, 4);
  });
});

describe('pushes of a headless Service (api headless, every sidecar seeing the whole mesh)', () => {
  it('called over TCP: each endpoint change is a full push, which every sidecar applies whole', () => {
    // Sidecars hold web's and other's 7 endpoints, 3 clusters and a listener per api pod but their own:
    // web's and other's 3, api's 2. At 10.1 s 9 run (2 web, 2 api, 5 other), at 15 s the restarted api
    // sidecar connects, at 15.1 s all 10 apply the second change.
    const whole = (listeners: number) => BASE + (3 + listeners) * CLUSTER + 7 * ENDPOINT;
    const pushes = 7 * whole(3) + 2 * whole(2) + whole(2) + 7 * whole(3) + 3 * whole(2);
    expect(run('mesh', '', ', headless: true', ', protocol: tcp').pushed).toBeCloseTo(pushes, 12);
  });

  it('called over HTTP: its sidecars hold no endpoints of it and apply nothing; the restarted one its view', () => {
    expect(run('mesh', '', ', headless: true').pushed).toBeCloseTo(BASE + 3 * CLUSTER + 7 * ENDPOINT, 12);
  });
});
