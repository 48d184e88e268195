// An HPA on the ingress gateway Deployment (mesh.ingressGateway.autoscaling), as the istio/gateway chart
// deploys one: the gateway's pods are scaled on their CPU like any Deployment's (hpa.ts), and a new
// replica takes client connections once ready. By hand: R requests/s at c core-seconds each at the
// gateway use R x c cores; on pods requesting 100m at a 50 % target the HPA asks for ceil(R x c / 0.05).
import { describe, expect, it } from 'vitest';
import { conserved, engineFor, scenario } from './helpers.ts';

const text = (autoscaling: string, rate: number) => `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: gw }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 2 }]
services:
  - { name: web, replicas: 2, resources: { requests: { cpu: 500m } }, serviceTime: 1ms }
traffic:
  - { name: load, to: web, rate: ${rate}/s, arrival: constant, via: ingress, connection: { type: per-request } }
mesh:
  ingressGateway: { resources: { requests: { cpu: 100m } }${autoscaling} }
lifecycle: { podStartup: 5s }
compare: [none]
simulation: { duration: 90s, warmup: 1s, replications: 1 }
`;

const OWNER = 'istio-ingress/istio-ingress';

describe('HPA on the ingress gateway', () => {
  it('scales the gateway to ceil(R x c / (100m x 50 %)) replicas, and every ready replica takes connections', () => {
    const probe = scenario(text('', 1));
    const c = probe.mesh.ingressGateway.cost;
    const t = probe.traffic[0]!;
    // Its hop on every request, and a new client connection every request.
    const perRequest =
      c.cpuPerRequest + c.cpuPerKiB * ((t.requestSize + t.responseSize) / 1024) + c.cpuPerConnection;
    // 0.16 cores: ceil(3.2) = 4 replicas.
    const rate = Math.round(0.16 / perRequest);
    const s = scenario(text(', autoscaling: { maxReplicas: 6, targetCPUUtilization: 50 }', rate));
    const e = engineFor(s, 'none');
    e.run();
    const rec = e.autoscaling.find((a) => a.owner === OWNER)!;
    expect(rec.kind).toBe('gateway');
    expect(rec.desired.at(-1)!.replicas).toBe(4);
    const pods = e.w.placement.byOwner.get(OWNER)!;
    // Pods up to maxReplicas, the rest standing by.
    expect(pods).toHaveLength(6);
    const busy = pods.filter((p) => e.proxies.usedOf(e.w.podProxy[p]!) > 0);
    expect(busy).toHaveLength(4);
    expect(e.recorder.entryFailed[0]).toBe(0);
    expect(conserved(e)).toBe(true);
  });

  it('without autoscaling the gateway keeps its replicas, and nothing stands by', () => {
    const e = engineFor(scenario(text('', 200)), 'none');
    e.run();
    expect(e.autoscaling.find((a) => a.owner === OWNER)).toBeUndefined();
    expect(e.w.placement.byOwner.get(OWNER)).toHaveLength(1);
  });

  it('a scale event sets its replicas: new ones are placed, start and take connections', () => {
    const t = text('', 200).replace(
      'compare: [none]',
      'events: [{ at: 5s, scale: istio-ingress, replicas: 3 }]\ncompare: [none]',
    );
    const e = engineFor(scenario(t), 'none');
    e.run();
    const rec = e.autoscaling.find((a) => a.owner === OWNER)!;
    expect(rec.kind).toBe('manual');
    expect(rec.desired).toEqual([
      { at: 0, replicas: 1 },
      { at: 5, replicas: 3 },
    ]);
    // Ready after lifecycle.podStartup (5 s).
    expect(rec.ready.at(-1)).toEqual({ at: 10, replicas: 3 });
    const pods = e.w.placement.byOwner.get(OWNER)!;
    expect(pods.filter((p) => e.proxies.usedOf(e.w.podProxy[p]!) > 0)).toHaveLength(3);
    expect(e.recorder.entryFailed[0]).toBe(0);
    expect(conserved(e)).toBe(true);
  });
});
