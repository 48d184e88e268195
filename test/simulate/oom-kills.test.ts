// A proxy that connections push past its memory limit is OOM-killed and restarted with the kubelet's
// back-off (replication/oom-kills.ts): its connections reset, its pod leaves load balancing while it is
// down, and the kills space out as the back-off doubles.
import { describe, expect, it } from 'vitest';
import { place } from '../../src/cluster/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { buildWorld, Replication, simulateArchitecture } from '../../src/simulate/index.ts';
import { NO_IDLE_CPU, runEngine } from '../helpers/scenario-text.ts';

// A two-service mesh: each sidecar needs 56.9 MiB before any connection (its 56.7 MiB base and two
// clusters and endpoints, scenario/defaults.ts) and 0.07 MiB per open connection. A 57.2Mi limit holds
// 3.7 connections; pools of 8 keep-alive connections outgrow it.
const scenario = (limit: string) =>
  parseScenario(
    `
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: oom-kills }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 2 }]
namespaces: [{ name: app, labels: { istio-injection: enabled } }]
services:
  - { name: web, namespace: app, replicas: 1, serviceTime: 1ms, calls: [{ to: api.app }] }
  - { name: api, namespace: app, replicas: 1, serviceTime: 1ms }
traffic:
  - { name: web, to: web.app, rate: 200/s, clientMode: sidecar }
mesh:
  sidecar:
    resources: { limits: { memory: ${limit} } }
${NO_IDLE_CPU}
compare: [sidecar]
simulation: { duration: 61s, warmup: 1s, replications: 1 }
`,
    'oom-kills.yaml',
  );

describe('OOM kills of proxies by their connections', () => {
  it('the limit holds 3.7 connections: the fourth open connection kills the sidecar', () => {
    const w = runEngine(scenario('57.2Mi'), 'sidecar').world;
    for (let p = 0; p < w.nProxies; p++) {
      expect(w.proxyCrashLoop[p]).toBe(0);
      expect(w.proxyOpenLimit[p]).toBeGreaterThan(3);
      expect(w.proxyOpenLimit[p]).toBeLessThan(4);
    }
  });

  it('kills reset connections and fail requests, spaced by the back-off; a 1Gi limit kills nothing', () => {
    const r = simulateArchitecture(scenario('57.2Mi'), 'sidecar');
    const free = simulateArchitecture(scenario('1Gi'), 'sidecar');
    expect(free.oomKills).toEqual([]);
    expect(free.entryPoints[0]!.failed.mean).toBe(0);
    // web's and api's sidecars each hold up to 8 connections from their caller's pool: both are killed.
    // After a kill the kubelet restarts within a second, then after 10, 20, 40 s (each restart takes 2 s):
    // killed as soon as their pools fill again, each is killed about 4 times in a minute (at 0, 2, 14
    // and 36 s), not 30 times (every 2 s) as without the back-off; the first kill falls in the warm-up.
    const k = r.oomKills.find((x) => x.component === 'sidecar')!;
    expect(k.containers).toBe(2);
    expect(k.kills).toBeGreaterThanOrEqual(2 * 2);
    expect(k.kills).toBeLessThanOrEqual(2 * 4);
    expect(r.warnings).toContainEqual(
      expect.stringMatching(/^OOM kills: 2 sidecar containers killed \d+ times in the window/),
    );
    // Their pods are out of load balancing and their connections refused while they are down: with
    // the back-off they are down for most of the minute, and a request through them fails.
    const e = r.entryPoints[0]!;
    expect(e.failed.mean).toBeGreaterThan(0.5 * e.offered.mean);
    // The kill, not a per-pod risk line, says it.
    expect(r.placement.memoryAtRisk).toEqual([]);
  });

  it('the kubelet sees a crash at its next relist (0-1 s), restarts at the first sync after the back-off', () => {
    const s = scenario('57.2Mi');
    const e = new Replication(buildWorld(s, place(s, 'sidecar')), 'test');
    // Each sidecar's downtimes, from its kill to its start (the restart's 2 s included).
    const down = new Map<number, number[]>();
    const since = new Map<number, number>();
    // From each kill to its pod's leaving load balancing.
    const unready: number[] = [];
    const setReady = e.host.setReady.bind(e.host);
    e.host.setReady = (pod, ready) => {
      const px = e.w.podProxy[pod]!;
      if (!ready && since.has(px)) unready.push(e.cal.now - since.get(px)!);
      setReady(pod, ready);
    };
    const setProxyUp = e.host.setProxyUp.bind(e.host);
    e.host.setProxyUp = (p, up, container) => {
      if (!up) since.set(p, e.cal.now);
      else if (since.has(p)) {
        down.set(p, [...(down.get(p) ?? []), e.cal.now - since.get(p)!]);
        since.delete(p);
      }
      setProxyUp(p, up, container);
    };
    e.run();
    expect(down.size).toBe(2);
    // Each is killed again as soon as its pools refill; the third restart may fall after the run.
    expect(Math.max(...[...down.values()].map((d) => d.length))).toBeGreaterThanOrEqual(3);
    for (const d of down.values()) {
      expect(d.length).toBeGreaterThanOrEqual(2);
      // The first kill: restarted at the relist that sees it, 0-1 s later. The second: a 10 s back-off,
      // retried every 10-15 s from that relist, so the first sync after 10 s is 10-16 s after the kill.
      // The third: 20 s, two retries (each under 20 s) take 20-31 s.
      expect(d[0]).toBeGreaterThanOrEqual(2);
      expect(d[0]).toBeLessThan(3);
      expect(d[1]).toBeGreaterThan(12);
      expect(d[1]).toBeLessThan(18);
      if (d.length < 3) continue;
      expect(d[2]).toBeGreaterThanOrEqual(22);
      expect(d[2]).toBeLessThan(33);
    }
    // Each kill takes its pod out of load balancing when the relist sees it, not at once.
    expect(unready.length).toBeGreaterThanOrEqual(4);
    for (const t of unready) {
      expect(t).toBeGreaterThanOrEqual(0);
      expect(t).toBeLessThan(1);
    }
    expect(Math.max(...unready)).toBeGreaterThan(0.1);
    // The jitter is drawn per proxy and crash: the two sidecars do not restart in step.
    const [a, b] = [...down.values()];
    expect(a![1]).not.toBe(b![1]);
  });

  it('a ztunnel killed by its connections refuses the traffic of its node, but its pods stay in load balancing', () => {
    const ambient = (limit: string) =>
      parseScenario(
        `
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: oom-ztunnel }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 1 }]
namespaces: [{ name: app, labels: { istio.io/dataplane-mode: ambient } }]
services:
  - { name: web, namespace: app, replicas: 2, serviceTime: 1ms }
traffic:
  - { name: web, to: web.app, rate: 200/s, clientMode: ambient }
mesh:
  ztunnel:
    resources: { limits: { memory: ${limit} } }
${NO_IDLE_CPU}
compare: [ambient]
simulation: { duration: 31s, warmup: 1s, replications: 1 }
`,
        'oom-ztunnel.yaml',
      );
    // The ztunnel's memory before any connection, and a limit 2.5 connections above it.
    const w = runEngine(ambient('1Gi'), 'ambient').world;
    const z = w.ztunnelOfNode[0]!;
    const perConnection = w.classes[w.proxyClass[z]!]!.cost.memoryPerConnection;
    const fixed = w.proxyMemoryLimit[z]! - w.proxyOpenLimit[z]! * perConnection;
    const limit = Math.round(fixed + 2.5 * perConnection);
    const r = simulateArchitecture(ambient(String(limit)), 'ambient');
    const k = r.oomKills.find((x) => x.component === 'ztunnel')!;
    expect(k.containers).toBe(1);
    expect(k.kills).toBeGreaterThan(0);
    expect(r.entryPoints[0]!.failed.mean).toBeGreaterThan(0);
    // Readiness is the kubelet probing the pods directly, past ztunnel: web's two pods stay ready all
    // along (the per-second series of ready application pods).
    expect(r.timeseries.ready.every((x) => x === 2)).toBe(true);
  });
});
