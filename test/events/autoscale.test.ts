// HorizontalPodAutoscalers in the simulation, against hand calculations. A constant 100 requests/s of
// constant service time S on pods requesting r cores uses 100 x S cores in all; the HPA asks for
// ceil(pods x usage / (pods x r) / target) = ceil(100 x S / (r x target)) pods, whatever the balancing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/simulate/index.ts';
import { engineFor, scenario } from './helpers.ts';

interface Case {
  replicas?: number;
  cpu?: string;
  serviceTime?: string;
  rate?: string;
  autoscaling: string;
  nodes?: number;
  duration?: string;
  arch?: string;
  extra?: string;
  connection?: string;
}

const hpa = (c: Case) =>
  scenario(`
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: hpa }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: ${c.nodes ?? 2} }]
namespaces: [{ name: default, labels: { istio-injection: enabled } }]
services:
  - name: web
    replicas: ${c.replicas ?? 1}
    resources: { requests: { cpu: ${c.cpu ?? '250m'} } }
    serviceTime: ${c.serviceTime ?? '4ms'}
    autoscaling: ${c.autoscaling}
traffic:
  - name: load
    to: web
    rate: ${c.rate ?? '100/s'}
    arrival: constant
    clients: 1
    connection: { type: ${c.connection ?? 'keepalive'} }
lifecycle: { podStartup: 5s }
${c.extra ?? ''}
compare: [${c.arch ?? 'none'}]
simulation: { duration: ${c.duration ?? '120s'}, warmup: 1s, replications: 1 }
`);

const run = (c: Case) => {
  const e = engineFor(hpa(c), (c.arch ?? 'none') as 'none');
  e.run();
  return { e, rec: e.autoscaling.find((a) => a.owner === 'default/web')! };
};

describe('HPA on a Deployment', () => {
  it('a load step: 0.4 cores on 250m pods at a 50 % target -> ceil(3.2) = 4 pods, after a 60 s scale-up window and not before', () => {
    // A new connection per request, so that every ready pod is chosen (kept-alive connections stay on the
    // pods they were opened to: the usual reason new pods idle after a scale-up).
    const { e, rec } = run({
      connection: 'per-request',
      autoscaling: '{ maxReplicas: 10, targetCPUUtilization: 50, scaleUp: { stabilizationWindow: 60s } }',
    });
    // Syncs every 15 s; the starting recommendation (1, at t = 0) leaves the window at t = 60.
    expect(rec.desired).toEqual([
      { at: 0, replicas: 1 },
      { at: 60, replicas: 4 },
    ]);
    // Ready 5 s later (lifecycle.podStartup), and in load balancing: every pod served.
    expect(rec.ready).toEqual([
      { at: 0, replicas: 1 },
      { at: 65, replicas: 4 },
    ]);
    const pods = e.w.placement.byOwner.get('default/web')!;
    expect(pods).toHaveLength(10);
    for (const pod of pods.slice(0, 4)) expect(e.apps.cpu[pod]!).toBeGreaterThan(0);
    for (const pod of pods.slice(4)) expect(e.apps.cpu[pod]!).toBe(0);
    expect(e.recorder.entryFailed[0]).toBe(0);
    // Steady at 4: 0.4 cores over 4 x 250m = 40 %, ratio 0.8, ceil(0.8 x 4) = 4.
    expect(rec.scaleUps).toBe(1);
    expect(rec.scaleDowns).toBe(0);
  });

  it('without a scale-up window the step is taken at the first sync (15 s)', () => {
    const { rec } = run({ autoscaling: '{ maxReplicas: 10, targetCPUUtilization: 50 }' });
    expect(rec.desired).toEqual([
      { at: 0, replicas: 1 },
      { at: 15, replicas: 4 },
    ]);
  });

  it('scale-down waits the default 300 s: 0.1 cores on 4 x 250m = 10 % -> 1 pod at t = 300, not at 285', () => {
    const { e, rec } = run({
      replicas: 4,
      serviceTime: '1ms',
      autoscaling: '{ maxReplicas: 10, targetCPUUtilization: 50 }',
      duration: '330s',
    });
    expect(rec.desired).toEqual([
      { at: 0, replicas: 4 },
      { at: 300, replicas: 1 },
    ]);
    // The three deleted pods left load balancing (the endpoint change reached the callers, then they went).
    expect(rec.ready[rec.ready.length - 1]!.replicas).toBe(1);
    expect(e.pods.readyCount('default/web')).toBe(1);
  });

  it('a manual scale of an autoscaled Deployment goes through its ReplicaSet; the HPA moves on from it', () => {
    const { rec } = run({
      autoscaling: '{ maxReplicas: 10, targetCPUUtilization: 50 }',
      extra: 'events: [{ at: 35s, scale: web, replicas: 2 }]',
    });
    // 0.4 cores on 2 x 250m = 80 %: ratio 1.6 -> ceil(3.2) = 4 again at the next sync.
    expect(rec.desired).toEqual([
      { at: 0, replicas: 1 },
      { at: 15, replicas: 4 },
      { at: 35, replicas: 2 },
      { at: 45, replicas: 4 },
    ]);
  });

  it('maxReplicas is respected: 4 wanted, 3 allowed', () => {
    const { rec } = run({ autoscaling: '{ maxReplicas: 3, targetCPUUtilization: 50 }' });
    expect(Math.max(...rec.desired.map((x) => x.replicas))).toBe(3);
    expect(rec.desired[rec.desired.length - 1]!.replicas).toBe(3);
  });

  it('the 10 % tolerance keeps 2 pods at 52 % of a 50 % target; a 1 % tolerance scales to ceil(2.08) = 3', () => {
    // 65/s x 4 ms = 0.26 cores over 2 x 250m = 52 %: ratio 1.04
    const steady = run({
      replicas: 2,
      rate: '65/s',
      autoscaling: '{ maxReplicas: 10, targetCPUUtilization: 50 }',
    });
    expect(steady.rec.desired).toEqual([{ at: 0, replicas: 2 }]);
    const eager = run({
      replicas: 2,
      rate: '65/s',
      autoscaling: '{ maxReplicas: 10, targetCPUUtilization: 50, tolerance: 0.01 }',
    });
    expect(eager.rec.desired[1]).toEqual({ at: 15, replicas: 3 });
  });

  it('pods that find no room stay Pending and are reported', () => {
    // 1.5-core pods on one m5.xlarge: two fit. 100/s x 40 ms = 4 cores asks for the maximum, 4.
    const c: Case = {
      cpu: '1500m',
      serviceTime: '40ms',
      nodes: 1,
      autoscaling: '{ maxReplicas: 4, targetCPUUtilization: 50 }',
    };
    const { rec } = run(c);
    expect(rec.desired[rec.desired.length - 1]!.replicas).toBe(4);
    expect(rec.pendingAtEnd).toBe(2);
    expect(rec.pendingPods).toBe(2);
    expect(rec.ready[rec.ready.length - 1]!.replicas).toBe(2);
    // Pending from the scale-up at 15 s to the end at 120 s.
    expect(rec.pendingSeconds).toBeCloseTo(2 * (120 - 15), 9);
    const r = simulate(hpa(c));
    const a = r.architectures[0]!;
    expect(a.autoscaling[0]).toMatchObject({ owner: 'default/web', pendingAtEnd: 2, replicas: { final: 4 } });
    expect(a.warnings.some((w) => w.includes('stayed Pending'))).toBe(true);
    expect(a.timeseries.replicas['default/web']!.at(-1)).toBe(4);
  });

  it('sidecar mode: the 100m sidecar request dilutes utilisation: (0.4 + sidecar) / (n x 350m)', () => {
    const { e, rec } = run({ arch: 'sidecar', autoscaling: '{ maxReplicas: 10, targetCPUUtilization: 50 }' });
    const pod = e.w.placement.byOwner.get('default/web')![0]!;
    const sidecar = e.w.podProxy[pod]!;
    expect(sidecar).toBeGreaterThanOrEqual(0);
    const final = rec.desired[rec.desired.length - 1]!.replicas;
    // What the sidecars used per second over the run, added to the application's 0.4 cores.
    let sidecars = 0;
    for (const p of e.w.placement.byOwner.get('default/web')!) sidecars += e.proxies.usedOf(e.w.podProxy[p]!);
    const cores = 0.4 + sidecars / 120;
    expect(final).toBe(Math.ceil(cores / (0.35 * 0.5)));
  });

  it("a ContainerResource metric on the application: 0.4 cores over n x 250m, the sidecar's share left out", () => {
    const { rec } = run({
      arch: 'sidecar',
      autoscaling: '{ maxReplicas: 10, targetCPUUtilization: 50, container: application }',
    });
    // ceil(0.4 / (0.25 x 0.5)) = ceil(3.2) = 4, as without a mesh; the Resource metric above settles lower.
    expect(rec.container).toBe('application');
    expect(rec.desired[rec.desired.length - 1]!.replicas).toBe(4);
    const pooled = run({ arch: 'sidecar', autoscaling: '{ maxReplicas: 10, targetCPUUtilization: 50 }' }).rec;
    expect(pooled.desired[pooled.desired.length - 1]!.replicas).toBeLessThan(4);
  });

  it('a ContainerResource metric on istio-proxy: the sidecars alone; without sidecars it fails and holds', () => {
    const { e, rec } = run({
      replicas: 2,
      arch: 'sidecar',
      autoscaling: '{ minReplicas: 2, maxReplicas: 10, targetCPUUtilization: 5, container: istio-proxy }',
    });
    let sidecars = 0;
    for (const p of e.w.placement.byOwner.get('default/web')!) sidecars += e.proxies.usedOf(e.w.podProxy[p]!);
    // The sidecars' cores over n x 100m at a 5 % target settle within the 10 % tolerance.
    const final = rec.desired[rec.desired.length - 1]!.replicas;
    const ratio = sidecars / 120 / (final * 0.1) / 0.05;
    expect(final).toBeGreaterThan(2);
    // (about 0.02 cores in all: 4 pods at 100.5 % of the target, inside the tolerance)
    expect(Math.abs(ratio - 1)).toBeLessThanOrEqual(0.1);
    // In ambient the pods have no istio-proxy container: every sync fails and the scale stays.
    const ambient = run({
      replicas: 2,
      arch: 'ambient',
      autoscaling: '{ minReplicas: 2, maxReplicas: 10, targetCPUUtilization: 5, container: istio-proxy }',
    }).rec;
    expect(ambient.desired).toEqual([{ at: 0, replicas: 2 }]);
    expect(ambient.metricFailures).toBe(8);
  });
});

describe('HPA on a waypoint', () => {
  it('a busy waypoint scales out and its new replicas take traffic', () => {
    const s = scenario(`
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: wp-hpa }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 3 }]
namespaces:
  - { name: pay, labels: { istio.io/dataplane-mode: ambient, istio.io/use-waypoint: wp } }
waypoints:
  - name: wp
    namespace: pay
    replicas: 1
    resources: { requests: { cpu: 100m } }
    autoscaling: { maxReplicas: 4, targetCPUUtilization: 50 }
services:
  - { name: api, namespace: pay, replicas: 2, serviceTime: 1ms }
traffic:
  - { name: load, to: api.pay, rate: 800/s, clients: 4, clientMode: ambient, connection: { type: per-request } }
lifecycle: { podStartup: 5s }
compare: [ambient]
simulation: { duration: 120s, warmup: 1s, replications: 1 }
`);
    const e = engineFor(s, 'ambient');
    e.run();
    const rec = e.autoscaling.find((a) => a.owner === 'pay/wp')!;
    expect(rec.kind).toBe('waypoint');
    const final = rec.desired[rec.desired.length - 1]!.replicas;
    expect(final).toBeGreaterThan(1);
    expect(e.pods.readyCount('pay/wp')).toBe(final);
    const pods = e.w.placement.byOwner.get('pay/wp')!;
    for (const pod of pods.slice(0, final))
      expect(e.proxies.requestsOf(e.w.podProxy[pod]!)).toBeGreaterThan(0);
  });
});

describe("istiod's HPA (istio-discovery chart: 1-5 replicas at 80 %)", () => {
  it('follows its modelled CPU: ceil(cpu / (500m x 80 %)) replicas', () => {
    // 1,000 changes/s x 1 sidecar x 0.5 ms = 0.5 cores on one 500m istiod: 100 %, ratio 1.25 -> 2.
    const { e } = run({
      arch: 'sidecar',
      autoscaling: '{ maxReplicas: 1 }',
      extra: 'mesh: { istiod: { configChangesPerSecond: 1000/s } }',
    });
    const rec = e.autoscaling.find((a) => a.owner === 'istiod')!;
    expect(rec.desired).toEqual([
      { at: 0, replicas: 1 },
      { at: 15, replicas: 2 },
    ]);
    expect(e.pods.readyCount('istiod')).toBe(2);
  });

  it('can be disabled, and runs nowhere without a mesh', () => {
    const off = run({
      arch: 'sidecar',
      autoscaling: '{ maxReplicas: 1 }',
      extra: 'mesh: { istiod: { autoscaling: { enabled: false } } }',
    });
    expect(off.e.autoscaling.map((a) => a.owner)).toEqual(['default/web']);
    expect(run({ autoscaling: '{ maxReplicas: 1 }' }).e.autoscaling.map((a) => a.owner)).toEqual([
      'default/web',
    ]);
  });
});

describe('HPA invariants', () => {
  it('property: replicas stay within [min, max], each scale-up within the default policy, same seed same story', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 10, max: 400 }),
        fc.integer({ min: 20, max: 90 }),
        (min, extra, rate, target) => {
          const c: Case = {
            rate: `${rate}/s`,
            autoscaling: `{ minReplicas: ${min}, maxReplicas: ${min + extra}, targetCPUUtilization: ${target} }`,
            duration: '90s',
          };
          const { rec } = run(c);
          for (const x of rec.desired) {
            expect(x.replicas).toBeGreaterThanOrEqual(min);
            expect(x.replicas).toBeLessThanOrEqual(min + extra);
          }
          for (let i = 1; i < rec.desired.length; i++) {
            const [a, b] = [rec.desired[i - 1]!.replicas, rec.desired[i]!.replicas];
            if (b > a) expect(b).toBeLessThanOrEqual(Math.max(2 * a, a + 4));
          }
          expect(run(c).rec).toEqual(rec);
        },
      ),
      { numRuns: 12 },
    );
  });
});
