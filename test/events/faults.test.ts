// Node faults: a dead node answers nothing, so what is sent to it hangs until its timeout, retries or not,
// until the node controller marks it NotReady (node-monitor-grace-period) and its pods leave the endpoints.
import { describe, expect, it } from 'vitest';
import { conserved, engineFor, scenario } from './helpers.ts';

const twoNodes = (arch: 'none' | 'sidecar', retries: number, node: number, policy = '') =>
  scenario(`
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: node-fault }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 3 }]
namespaces: [{ name: app, labels: { ${arch === 'none' ? 'team: a' : 'istio-injection: enabled'} } }]
services:
  - { name: api, namespace: app, replicas: 2, serviceTime: 20ms, cpuFraction: 0${policy} } # waiting, not CPU: the node processor stays out of it
traffic:
  - name: web
    to: api.app
    rate: 200/s
    clients: 1
    clientMode: same-as-target
    retries: ${retries}
    timeout: 1s
    connection: per-request
events:
  - { at: 5s, fault: node, selector: "${node}", recovery: 80s }
compare: [${arch}]
simulation: { duration: 70s, warmup: 1s, replications: 1 }
`);

/** The fault hits the node of an api pod that is not the client's (placement ignores the fault). */
function setup(arch: 'none' | 'sidecar', retries: number, policy = '') {
  const probe = engineFor(twoNodes(arch, retries, 0, policy), arch);
  const pods = probe.w.placement.pods;
  const client = pods[probe.w.placement.byOwner.get('web')![0]!]!.node;
  const node = probe.w.placement.byOwner
    .get('app/api')!
    .map((p) => pods[p]!.node)
    .find((n) => n !== client)!;
  return engineFor(twoNodes(arch, retries, node, policy), arch);
}

const errorsIn = (e: ReturnType<typeof setup>, from: number, to: number) =>
  [...e.recorder.errorBins.slice(from, to)].reduce((a, b) => a + b, 0);

describe('node fault', () => {
  it('no mesh: requests to the dead node time out (no refusal) until it is NotReady 50 s later', () => {
    const e = setup('none', 0);
    e.run();
    const rec = e.disruption[0]!;
    expect(e.w.scenario.events[0]).toMatchObject({ notReadyAfter: 50, evictAfter: 300 });
    // Every failure is a timeout: nothing refuses, nothing resets.
    expect(e.recorder.entryFailed[0]).toBeGreaterThan(0);
    expect(e.recorder.entryTimedOut[0]).toBe(e.recorder.entryFailed[0]);
    expect(rec.connectionsReset).toBe(0);
    // Half of the connections pick the dead pod while it is listed: failures all through [5 s, 55 s).
    expect(errorsIn(e, 10, 50)).toBeGreaterThan(0);
    // NotReady at 55 s: its pod leaves the endpoints; the last hung requests time out by 56 s.
    expect(errorsIn(e, 57, 70)).toBe(0);
    expect(rec.blastRadius).toEqual({ pods: 1, services: ['app/api'], nodes: 1 });
    expect(conserved(e)).toBe(true);
  });

  it('sidecars: Istio retries do not help, a black hole is not a refused connection', () => {
    const e = setup('sidecar', 2);
    e.run();
    expect(e.recorder.entryTimedOut[0]).toBeGreaterThan(0);
    expect(e.recorder.entryTimedOut[0]).toBe(e.recorder.entryFailed[0]);
    expect(errorsIn(e, 57, 70)).toBe(0);
    expect(conserved(e)).toBe(true);
  });

  it('sidecars with outlier detection: each timeout is a 504 for the dead pod, which 5 of them eject', () => {
    const od = ', trafficPolicy: { outlierDetection: { maxEjectionPercent: 50 } }';
    const e = setup('sidecar', 2, od);
    e.run();
    // The first requests sent to the dead pod time out from 6 s; the fifth ejects it for 30 s: back on
    // the 40 s interval tick, ejected again by its next five timeouts (for 60 s: past NotReady at 55 s).
    expect(errorsIn(e, 6, 8)).toBeGreaterThan(0);
    expect(errorsIn(e, 8, 40)).toBe(0);
    expect(errorsIn(e, 41, 43)).toBeGreaterThan(0);
    expect(errorsIn(e, 43, 70)).toBe(0);
    expect(e.outliers.ejections).toBe(2);
    // Without it, the sidecar keeps sending to the dead pod until NotReady.
    const blind = setup('sidecar', 2);
    blind.run();
    expect(errorsIn(blind, 8, 40)).toBeGreaterThan(1000);
    expect(conserved(e)).toBe(true);
  });
});

describe('node fault detection follows Kubernetes', () => {
  const text = (version: string, extra: string) => `
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: nf }
cluster:
  kubernetesVersion: "${version}"
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 3 }]
services:
  - { name: api, replicas: 3, serviceTime: 1ms }
traffic:
  - { name: web, to: api, rate: 20/s, timeout: 1s }
events:
  - { at: 5s, fault: node, selector: "1", recovery: 200s${extra} }
compare: [none]
simulation: { duration: 100s, warmup: 1s, replications: 1 }
`;
  it('node-monitor-grace-period is 40 s up to Kubernetes 1.31 and 50 s from 1.32', () => {
    expect(scenario(text('1.31', '')).events[0]).toMatchObject({ notReadyAfter: 40 });
    expect(scenario(text('1.32', '')).events[0]).toMatchObject({ notReadyAfter: 50 });
  });

  it('pods still on the dead node at NotReady + tolerationSeconds are replaced on another node', () => {
    const e = engineFor(scenario(text('1.33', ', evictAfter: 10s')), 'none');
    e.run();
    const rec = e.disruption[0]!;
    const pods = e.w.placement.byOwner.get('default/api')!.filter((p) => e.w.placement.pods[p]!.node === 1);
    expect(pods.length).toBeGreaterThan(0);
    expect(rec.podsRestarted).toBe(pods.length);
    for (const p of pods) expect(e.pods.node[p]).not.toBe(1);
    expect(conserved(e)).toBe(true);
  });
});
