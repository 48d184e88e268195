// Envoy's connection circuit breaker over per-host pools (replication/circuit-breakers.ts), by hand and
// against queueing theory. web's sidecar calls api over HTTP/1.1 with maxConnections 2 and
// http1MaxPendingRequests 2: a request takes an idle connection of its host, else opens one while the
// cluster has fewer than 2 open (idle ones count) or its host has none, else waits for its own host's.
import { describe, expect, it } from 'vitest';
import { place } from '../../src/cluster/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { buildWorld, Replication } from '../../src/simulate/index.ts';
import {
  ADMITTED,
  CircuitBreakers,
  PENDING,
  REFUSED,
} from '../../src/simulate/replication/circuit-breakers.ts';

const text = `
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: hosts }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 2 }]
namespaces: [{ name: default, labels: { istio-injection: enabled } }]
services:
  - { name: web, replicas: 1, serviceTime: 1ms, calls: [{ to: api }] }
  - name: api
    replicas: 3
    serviceTime: 10ms
    trafficPolicy: { connectionPool: { tcp: { maxConnections: 2 }, http: { http1MaxPendingRequests: 2 } } }
traffic: [{ name: load, to: web, rate: 10/s }]
compare: [sidecar]
simulation: { duration: 2s, warmup: 0s, replications: 1 }
`;

function rig(pool = '') {
  const s = parseScenario(pool ? text.replace('tcp: { maxConnections: 2 }', pool) : text, 'hosts.yaml');
  const e = new Replication(buildWorld(s, place(s, 'sidecar')), 'hosts');
  // A clock the test moves (the breakers read the time for idle timeouts only).
  const clock = { now: 0 };
  const w = e.w;
  const api = w.services.findIndex((x) => x.key === 'default/api');
  const edge = w.edges.find((x) => x.from >= 0 && x.to === api)!;
  const web = w.placement.byOwner.get('default/web')![0]!;
  const block = e.balancing.block(w.podProxy[web]!, api);
  const [A, B, C] = [...w.placement.byOwner.get('default/api')!] as [number, number, number];
  const breakers = new CircuitBreakers({ ...e, pods: e.pods, balancing: e.balancing, cal: clock } as never);
  const granted: number[] = [];
  breakers.onGranted = (id) => granted.push(id);
  const admit = (id: number, host: number) => breakers.admit(id, edge, block, host);
  return { breakers, granted, admit, block, A, B, C, proxy: w.podProxy[web]!, clock };
}

describe('connection circuit breaker over per-host pools', () => {
  it('counts idle connections, opens one anyway to a host with none, queues a request at its own host', () => {
    const { breakers: cb, granted, admit, block, A, B, C } = rig();
    expect(admit(1, A)).toBe(ADMITTED);
    expect(admit(2, B)).toBe(ADMITTED);
    // The cluster holds its 2, but C has no connection: Envoy opens one anyway.
    expect(admit(3, C)).toBe(ADMITTED);
    expect(cb.connections(block)).toBe(3);
    // A's only connection is busy and the cluster is full: pending, twice, then refused on the third.
    expect(admit(4, A)).toBe(PENDING);
    expect(admit(5, A)).toBe(PENDING);
    expect(cb.pending(block)).toBe(2);
    expect(admit(6, B)).toBe(REFUSED);
    // A's connection frees: it goes to the first pending on A.
    cb.release(1);
    expect(granted).toEqual([4]);
    expect(cb.pending(block)).toBe(1);
    // B's frees with nobody pending on B: it stays open, idle, and counted.
    cb.release(2);
    expect(cb.connections(block)).toBe(3);
    // A request to B takes it; one to A still waits behind 5, though B and C sit idle in between.
    expect(admit(7, B)).toBe(ADMITTED);
    cb.release(3);
    expect(admit(8, A)).toBe(PENDING);
    cb.release(4);
    cb.release(5);
    expect(granted).toEqual([4, 5, 8]);
    cb.release(8);
    expect(cb.pending(block)).toBe(0);
    expect(cb.connections(block)).toBe(3);
  });

  it('a host that goes closes its idle connections at once and its busy ones as their requests end', () => {
    const { breakers: cb, admit, block, A, B, C } = rig();
    admit(1, A);
    admit(2, B);
    admit(3, C);
    cb.release(1);
    cb.release(3);
    cb.reset((_o, _t, peer) => peer === A);
    expect(cb.connections(block)).toBe(2);
    // B's is busy: it closes when its request ends.
    cb.reset((_o, _t, peer) => peer === B);
    expect(cb.connections(block)).toBe(2);
    cb.release(2);
    expect(cb.connections(block)).toBe(1);
    // Room again: A gets a connection like any host.
    expect(admit(4, A)).toBe(ADMITTED);
    expect(admit(5, B)).toBe(ADMITTED);
    expect(cb.connections(block)).toBe(3);
  });

  it('a busy connection closing hands a new one to a request pending on its host', () => {
    const { breakers: cb, granted, admit, block, A, B, C, proxy } = rig();
    admit(1, A);
    admit(2, B);
    admit(3, C);
    expect(admit(4, A)).toBe(PENDING);
    // The Envoy's pools go (as when its proxy restarts): A's busy connection closes as 1 ends, and 4,
    // pending on A, which now has none, opens one.
    cb.reset((o) => o === proxy);
    cb.release(1);
    expect(granted).toEqual([4]);
    expect(cb.connections(block)).toBe(3);
    cb.release(2);
    cb.release(3);
    // The one opened for 4 stays open, idle.
    cb.release(4);
    expect(cb.connections(block)).toBe(1);
  });

  it('with idleTimeout, a host idle that long has closed its connections, and they count no more', () => {
    const { breakers: cb, admit, block, A, B, C, clock } = rig('tcp: { maxConnections: 2, idleTimeout: 1s }');
    admit(1, A);
    admit(2, B);
    cb.release(1);
    clock.now = 0.5;
    cb.release(2);
    // At 1.2 s A has been idle 1.2 s, B 0.7 s: at the limit, C's request finds A's closed and opens.
    clock.now = 1.2;
    expect(admit(3, C)).toBe(ADMITTED);
    expect(cb.connections(block)).toBe(2);
    // B's is still open and idle: reused.
    expect(admit(4, B)).toBe(ADMITTED);
    expect(cb.connections(block)).toBe(2);
    // A has none now: it opens one anyway (the cluster is full).
    expect(admit(5, A)).toBe(ADMITTED);
    expect(cb.connections(block)).toBe(3);
  });
});
