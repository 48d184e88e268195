// Hand-computable rollouts: the mechanisms of Kubernetes' RollingUpdate, checked to the second.
import { describe, expect, it } from 'vitest';
import { conserved, engineFor, scenario, sidecarStart } from './helpers.ts';

const deployment = (surge: string, unavailable: string, extra = '') =>
  scenario(`
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: rollout }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 2 }]
namespaces: [{ name: app, labels: { istio-injection: enabled } }]
services:
  - { name: api, namespace: app, replicas: 4, serviceTime: 1ms }
traffic:
  - { name: web, to: api.app, rate: 50/s, arrival: constant }
lifecycle: { podStartup: 10s, terminationGrace: 30s }
events:
  - { at: 5s, upgrade: dataplane, maxSurge: ${surge}, maxUnavailable: ${unavailable} }
${extra}
compare: [sidecar]
simulation: { duration: 120s, warmup: 1s, replications: 1 }
`);

describe('sidecar data-plane upgrade: a rolling restart of every injected Deployment', () => {
  it('4 pods, maxSurge 1, maxUnavailable 0, 10 s start, 5 s drain: rolled out in 4 x (10 s + its sidecar), settled 5 s later', () => {
    const e = engineFor(deployment('1', '0'), 'sidecar');
    e.run();
    const [rec] = e.disruption;
    // One new pod at a time, each ready once its native sidecar started (2 s and its first configuration)
    // and then its application (10 s); the next starts when it is ready.
    const pod = 10 + sidecarStart(e, 'app/api');
    expect(rec!.rolloutDuration).toBeCloseTo(4 * pod, 9);
    // Native sidecars (Istio 1.28): the application exits at SIGTERM (no preStop), then Envoy drains 5 s
    // and exits: the last old pod is gone 5 s after the last new one took over, well before the 30 s grace.
    expect(rec!.settledAfter).toBeCloseTo(4 * pod + 5, 9);
    expect(rec!.podsRestarted).toBe(4);
    // Never below the desired count: a surge pod is ready before its old pod leaves.
    expect(rec!.lowestReadyCapacity['app/api']).toBe(1);
    // Each pod restarted exactly once.
    const pods = e.w.placement.byOwner.get('app/api')!;
    expect(pods.map((p) => e.pods.gen[p])).toEqual([1, 1, 1, 1]);
    // Extra room: the surge pod's requests (100m app + 100m sidecar), plus the previous old pod for the
    // 5 s it still drains after the next surge pod started: two pods' worth.
    expect(rec!.surge.cpu).toBeCloseTo(0.2 * 2, 9);
    // Without a preStop each old application exits at once; the outside client (no retries) loses at
    // most what it sends to that pod before Envoy's endpoint update lands: 4 pods x 350 ms x 50/s.
    expect(rec!.requestsFailed).toBeLessThanOrEqual(4 * 0.35 * 50);
    expect(conserved(e)).toBe(true);
  });

  it('maxSurge 0, maxUnavailable 1: one pod missing at a time, 4 pod starts, capacity down to 75 %', () => {
    const e = engineFor(deployment('0', '1'), 'sidecar');
    e.run();
    const [rec] = e.disruption;
    expect(rec!.rolloutDuration).toBeCloseTo(4 * (10 + sidecarStart(e, 'app/api')), 9);
    expect(rec!.podsRestarted).toBe(4);
    expect(rec!.lowestReadyCapacity['app/api']).toBe(0.75);
    expect(conserved(e)).toBe(true);
  });

  it('maxSurge 25 %, maxUnavailable 25 % on 4 pods: two at a time (1 surged, 1 missing), 2 pod starts', () => {
    const e = engineFor(deployment('25%', '25%'), 'sidecar');
    e.run();
    expect(e.disruption[0]!.rolloutDuration).toBeCloseTo(2 * (10 + sidecarStart(e, 'app/api')), 9);
    expect(e.disruption[0]!.podsRestarted).toBe(4);
  });

  it('a surge pod that finds no room waits, and the rollout waits with it', () => {
    // Each node: 4 vCPU allocatable minus reservations; a 1.9-CPU app fills it with its sidecar.
    const s = scenario(`
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: full }
cluster:
  nodePools: [{ name: n, instanceType: custom, vcpu: 2, memory: 8Gi, pricePerHour: 0.1, count: 2, systemReserved: { cpu: 0, memory: 0 } }]
namespaces: [{ name: app, labels: { istio-injection: enabled } }]
services:
  - { name: api, namespace: app, replicas: 2, serviceTime: 1ms, resources: { requests: { cpu: 1.4, memory: 1Gi } } }
traffic:
  - { name: web, to: api.app, rate: 20/s }
lifecycle: { podStartup: 10s, terminationGrace: 30s }
events:
  - { at: 5s, upgrade: dataplane, maxSurge: 1, maxUnavailable: 0 }
compare: [sidecar]
simulation: { duration: 200s, warmup: 1s, replications: 1 }
`);
    const e = engineFor(s, 'sidecar');
    e.run();
    const rec = e.disruption[0]!;
    // Worked out: pods need 1.4 + 0.1 (sidecar) = 1.5 CPU. istiod (0.5) lands on node 0, api-0 on the
    // emptier node 1, api-1 on node 0 (0.5 + 1.5 = 2.0, exactly full). Free room: 0 and 0.5 CPU, so the
    // first surge pod (1.5) never fits: it waits from t = 5 s to the end (200 s) and nothing restarts.
    expect(rec.podsRestarted).toBe(0);
    expect(rec.rolloutDuration).toBeNull();
    expect(rec.completed).toBe(false);
    expect(rec.surge.pendingPods).toBe(1);
    expect(rec.surge.pendingSeconds).toBe(195);
    expect(conserved(e)).toBe(true);
  });
});

describe('rollout parallelism', () => {
  const two = (parallel: string) =>
    scenario(`
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: par }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 2 }]
namespaces: [{ name: app, labels: { istio-injection: enabled } }]
services:
  - { name: a, namespace: app, replicas: 1, serviceTime: 1ms }
  - { name: b, namespace: app, replicas: 1, serviceTime: 1ms }
traffic:
  - { name: web, to: a.app, rate: 10/s }
lifecycle: { podStartup: 10s }
events:
  - { at: 5s, upgrade: dataplane, maxSurge: 1, maxUnavailable: 0${parallel} }
compare: [sidecar]
simulation: { duration: 60s, warmup: 1s, replications: 1 }
`);
  it('by default every Deployment restarts at once, as kubectl rollout restart -n NS does: one pod start', () => {
    const e = engineFor(two(''), 'sidecar');
    e.run();
    // a and b hold the same configuration (the whole mesh): their pods start alike.
    expect(sidecarStart(e, 'app/a')).toBe(sidecarStart(e, 'app/b'));
    expect(e.disruption[0]!.rolloutDuration).toBeCloseTo(10 + sidecarStart(e, 'app/a'), 9);
  });
  it('one Deployment at a time when the event says so: two pod starts', () => {
    const e = engineFor(two(', parallelDeployments: 1'), 'sidecar');
    e.run();
    expect(e.disruption[0]!.rolloutDuration).toBeCloseTo(2 * (10 + sidecarStart(e, 'app/a')), 9);
  });
});

describe("a new pod's sidecar start", () => {
  // web (1 pod) calls api; other is a third service. Applying a configuration costs 1 s per cluster here
  // and nothing else, so a sidecar seeing the whole mesh (3 clusters) starts in 2 + 3 s, one scoped to
  // its callees (web, api) in 2 + 2 s; the application then takes its 10 s (native sidecars).
  const text = (scope: string, version = '1.28') =>
    scenario(`
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: sidecar-start }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 2 }]
namespaces: [{ name: app, labels: { istio-injection: enabled } }]
services:
  - { name: web, namespace: app, replicas: 1, serviceTime: 1ms, calls: [{ to: api }] }
  - { name: api, namespace: app, replicas: 1, serviceTime: 1ms }
  - { name: other, namespace: app, replicas: 1, serviceTime: 1ms }
traffic:
  - { name: load, to: web.app, rate: 10/s }
mesh:
  version: "${version}"
  sidecar: { scope: ${scope} }
  idle: { envoyPushCpu: 0, envoyPushCpuPerCluster: 1s, envoyPushCpuPerEndpoint: 0 }
lifecycle: { podStartup: 10s }
events:
  - { at: 5s, upgrade: dataplane, maxSurge: 1, maxUnavailable: 0, parallelDeployments: 1 }
compare: [sidecar]
simulation: { duration: 90s, warmup: 1s, replications: 1 }
`);
  const rollout = (scope: string, version?: string) => {
    const e = engineFor(text(scope, version), 'sidecar');
    e.run();
    return e.disruption[0]!.rolloutDuration!;
  };

  it('grows with the configuration its sidecar holds: scoped sidecars start sooner', () => {
    // Three Deployments one after another, each one pod: 3 x (10 + 2 + 3) = 45 s unscoped; scoped, web
    // holds 2 clusters, api and other their own one: (10 + 2 + 2) + 2 x (10 + 2 + 1) = 40 s.
    expect(rollout('mesh')).toBeCloseTo(45, 9);
    expect(rollout('callees')).toBeCloseTo(40, 9);
  });

  it('before Istio 1.27 (classic sidecars) it runs beside the application: the later of the two', () => {
    // max(10, 2 + 3) = 10 s a pod.
    expect(rollout('mesh', '1.26')).toBeCloseTo(30, 9);
  });
});
