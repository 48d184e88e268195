// A Deployment whose pods do not all fit at the start, with no HPA and no `scale` event: its unbound pods
// stay Pending and are bound when room frees during the run (kube-scheduler retries unschedulable pods on
// cluster events), instead of never running.
import { describe, expect, it } from 'vitest';
import { costOf } from '../../src/cost/index.ts';
import { podBackoff } from '../../src/events/pending.ts';
import { comparisonTable } from '../../src/report/index.ts';
import { simulate } from '../../src/simulate/index.ts';
import { conserved, engineFor, scenario, sidecarStart } from './helpers.ts';

// One 4-vCPU node: two 1,500m pods fit (with its DaemonSets and reserve), a third does not. api's two pods
// are deployed first, so batch's one pod finds no node at the start.
const tight = (events: string, mode = 'none', small = 0) =>
  scenario(`
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: pending }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 1 }]
namespaces: [{ name: shop, labels: { istio-injection: ${mode === 'sidecar' ? 'enabled' : 'disabled'} } }]
services:
  - { name: api, namespace: shop, replicas: 2, serviceTime: 1ms, resources: { requests: { cpu: 1500m } } }
  - { name: batch, namespace: shop, replicas: 1, serviceTime: 1ms, resources: { requests: { cpu: 1500m } } }
  - { name: small, namespace: shop, replicas: ${small}, serviceTime: 1ms, resources: { requests: { cpu: 300m } } }
traffic:
  - { name: load, to: api.shop, rate: 100/s, arrival: constant, clients: 1, connection: { type: per-request } }
  - { name: jobs, to: batch.shop, rate: 50/s, arrival: constant, clients: 1, connection: { type: per-request } }
lifecycle: { podStartup: 5s }
${events}
compare: [${mode}]
simulation: { duration: 60s, warmup: 1s, replications: 1 }
`);

describe('pods unschedulable at the start', () => {
  it.each(['none', 'sidecar'] as const)(
    '%s: wait Pending and are bound once a pod deleted by a scale-down frees the room',
    (mode) => {
      const e = engineFor(tight('events:\n  - { at: 10s, scale: api.shop, replicas: 1 }', mode), mode);
      const batch = e.w.placement.byOwner.get('shop/batch')!;
      expect(e.w.placement.unschedulable.map((u) => u.name)).toHaveLength(1);
      expect(e.pods.node[batch[0]!]).toBe(-1);
      e.run();
      const rec = e.autoscaling.find((a) => a.owner === 'shop/batch')!;
      expect(rec).toMatchObject({
        kind: 'fixed',
        minReplicas: 1,
        maxReplicas: 1,
        targetCPUUtilization: null,
      });
      expect(rec.desired).toEqual([{ at: 0, replicas: 1 }]);
      expect(rec).toMatchObject({ pendingPods: 1, pendingAtEnd: 0, scaleUps: 0, scaleDowns: 0 });
      // api's deleted pod frees its room when it is gone: at its grace period (30 s) with no proxy to end
      // it sooner, once its sidecar has drained (5 s) under sidecar (terminate.ts). Ready podStartup later.
      const bound = rec.pendingSeconds;
      expect(bound).toBe(mode === 'none' ? 40 : 15);
      // (under sidecar, once its native sidecar started too)
      const start = mode === 'sidecar' ? sidecarStart(e, 'shop/batch') : 0;
      expect(rec.ready).toHaveLength(2);
      expect(rec.ready[0]).toEqual({ at: 0, replicas: 0 });
      expect(rec.ready[1]!.replicas).toBe(1);
      expect(rec.ready[1]!.at).toBeCloseTo(bound + 5 + start, 9);
      expect(e.pods.node[batch[0]!]).toBe(0);
      expect(e.pods.readyCount('shop/batch')).toBe(1);
      // It served requests once ready; the requests sent before had no endpoint.
      expect(e.apps.used[batch[0]!]!).toBeGreaterThan(0);
      const jobs = 1;
      expect(e.recorder.entryCompleted[jobs]!).toBeGreaterThan(0);
      expect(e.recorder.entryFailed[jobs]!).toBeGreaterThan(0);
      expect(conserved(e)).toBe(true);
      // The node hosted it from when it was bound: 60 - bound of the 59 measured seconds.
      const hosted = rec.hosted.reduce((a, h) => a + h.podSeconds, 0);
      expect(hosted).toBeCloseTo(60 - bound, 9);
    },
  );

  it('with no room ever freed it stays Pending to the end, with a warning, charged nothing', () => {
    const s = tight('');
    const results = simulate(s);
    const a = results.architectures[0]!;
    const rec = a.autoscaling!.find((x) => x.owner === 'shop/batch')!;
    expect(rec).toMatchObject({ kind: 'fixed', pendingAtEnd: 1 });
    expect(rec.podsByNode).toEqual([]);
    expect(a.warnings).toContainEqual(
      expect.stringMatching(
        /^shop\/batch: 1 pods unschedulable at the start stayed Pending to the end \(.*Insufficient cpu/,
      ),
    );
    // Its replicas never change: no autoscaling rows in the table.
    expect(comparisonTable(results)).not.toMatch(/Autoscaling/);
    // Only Deployments with a Pending pod get a ReplicaSet of their own.
    expect(a.autoscaling!.map((x) => x.owner)).toEqual(['shop/batch']);
    // The node never hosted it: the application's charge is api's two pods, as without the record.
    const app = (x: ReturnType<typeof costOf>) =>
      x.allocation.byComponent.find((c) => c.component === 'application')!.cpu;
    const withRecord = app(costOf(s, a));
    expect(withRecord).toBeGreaterThan(0);
    expect(withRecord).toBe(app(costOf(s, { ...a, autoscaling: [] })));
  });

  it("is tried again after an event only once kube-scheduler's back-off since its last attempt has passed", () => {
    // small's 300m frees at 35 s (deleted at 5 s, gone after its 30 s grace): too little, and that failed
    // attempt doubles the back-off to 2 s. api's pod frees its room at 35.5 s, but the pod waits out its
    // back-off and is bound at 37 s.
    const e = engineFor(
      tight(
        'events:\n  - { at: 5s, scale: small.shop, replicas: 0 }\n  - { at: 5.5s, scale: api.shop, replicas: 1 }',
        'none',
        1,
      ),
      'none',
    );
    e.run();
    const rec = e.autoscaling.find((a) => a.owner === 'shop/batch')!;
    expect(rec).toMatchObject({ kind: 'fixed', pendingPods: 1, pendingAtEnd: 0 });
    expect(rec.pendingSeconds).toBe(37);
    expect(podBackoff(1)).toBe(1);
    expect([2, 3, 4, 5, 9].map(podBackoff)).toEqual([2, 4, 8, 10, 10]);
  });
});
