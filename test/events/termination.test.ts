// How a pod leaves: the race between its application exiting and its callers' data planes learning it is
// gone (istio/istio #58514), preStop as the workaround, and native versus classic sidecar shutdown.
import { describe, expect, it } from 'vitest';
import type { Architecture } from '../../src/scenario/index.ts';
import { conserved, engineFor, scenario, sidecarStart } from './helpers.ts';

const LABELS: Record<string, string> = {
  none: 'team: a',
  sidecar: 'istio-injection: enabled',
  ambient: 'istio.io/dataplane-mode: ambient',
};

const moved = (arch: Architecture, lifecycle: string, retries = 0, version = '1.28') =>
  scenario(`
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: race }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 3 }]
namespaces: [{ name: app, labels: { ${LABELS[arch]} } }]
services:
  - { name: front, namespace: app, replicas: 2, serviceTime: 1ms, calls: [{ to: api, retries: ${retries} }] }
  - { name: api, namespace: app, replicas: 4, serviceTime: 1ms }
traffic:
  - { name: web, to: front.app, rate: 400/s, clients: 2, retries: 0 }
mesh: { version: "${version}" }
lifecycle: { podStartup: 5s, ${lifecycle} }
events:
  - { at: 5s, upgrade: dataplane, strategy: blue-green }
compare: [${arch}]
simulation: { duration: 60s, warmup: 1s, replications: 1 }
`);

function run(arch: Architecture, lifecycle: string, retries = 0, version = '1.28') {
  const e = engineFor(moved(arch, lifecycle, retries, version), arch);
  e.run();
  expect(conserved(e)).toBe(true);
  return e.disruption[0]!;
}

describe('the termination race', () => {
  it('ambient: without a preStop, requests reach exited pods until ztunnel learns of them, and fail', () => {
    const rec = run('ambient', 'preStop: 0s');
    expect(rec.podsRestarted).toBe(6);
    expect(rec.requestsFailed).toBeGreaterThan(0);
  });

  it('a preStop sleep longer than the propagation delay avoids it', () => {
    for (const arch of ['none', 'sidecar', 'ambient'] as const)
      expect(run(arch, 'preStop: 1s').requestsFailed, arch).toBe(0);
  });

  it('the window is the data plane’s propagation delay: a slower one loses more', () => {
    const slow = run('ambient', 'preStop: 0s, endpointPropagation: { ztunnel: 2s }').requestsFailed;
    const usual = run('ambient', 'preStop: 0s').requestsFailed;
    expect(slow).toBeGreaterThan(2 * usual);
  });

  it('sidecar callers retry the refused requests (connect-failure) on another endpoint', () => {
    const rec = run('sidecar', 'preStop: 0s', 2);
    expect(rec.requestsRetried).toBeGreaterThan(0);
    expect(rec.requestsFailed).toBeLessThan(run('sidecar', 'preStop: 0s', 0).requestsFailed);
  });
});

describe('sidecar shutdown order (ENABLE_NATIVE_SIDECARS)', () => {
  // One pod at a time; the application sleeps 10 s in preStop; Envoy drains 5 s; 30 s grace.
  const roll = (version: string) => {
    const e = engineFor(
      scenario(`
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: native }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 2 }]
namespaces: [{ name: app, labels: { istio-injection: enabled } }]
services:
  - { name: api, namespace: app, replicas: 1, serviceTime: 1ms }
traffic:
  - { name: web, to: api.app, rate: 20/s, arrival: constant }
mesh: { version: "${version}" }
lifecycle: { podStartup: 10s, preStop: 10s }
events:
  - { at: 5s, upgrade: dataplane, maxSurge: 1, maxUnavailable: 0 }
compare: [sidecar]
simulation: { duration: 80s, warmup: 1s, replications: 1 }
`),
      'sidecar',
    );
    e.run();
    return { ...e.disruption[0]!, start: sidecarStart(e, 'app/api') };
  };

  it('1.26 (classic): Envoy stops after its 5 s drain; the pod goes when the application does, at 10 s', () => {
    // The classic sidecar starts beside the application (about 2 s against its 10 s): ready at 10 s.
    const rec = roll('1.26');
    expect(rec.rolloutDuration).toBe(10);
    expect(rec.settledAfter).toBe(20);
  });

  it('1.27+ (native): Envoy gets SIGTERM only after the application exited, then drains: 15 s', () => {
    // The native sidecar starts first: the new pod is ready after its start and the application's 10 s.
    const rec = roll('1.27');
    expect(rec.rolloutDuration).toBeCloseTo(10 + rec.start, 9);
    expect(rec.settledAfter).toBeCloseTo(25 + rec.start, 9);
  });
});
