// istiod's CPU under churn (istiod-load.ts), by hand: steady changes x proxies x CPU per push, plus one
// push to every proxy per debounced burst of endpoint events.
import { describe, expect, it } from 'vitest';
import { IstiodLoad } from '../../src/events/istiod-load.ts';
import { DEFAULT_MESH } from '../../src/scenario/defaults.ts';

/** A clock with a calendar: what IstiodLoad reads of the disruption host. */
class Clock {
  now = 0;
  readinessListeners: Array<(owner: string) => void> = [];
  private queue: Array<{ at: number; fn: () => void }> = [];
  after(delay: number, fn: () => void): void {
    this.queue.push({ at: this.now + delay, fn });
    this.queue.sort((a, b) => a.at - b.at);
  }
  /** Runs what is due up to `t`, with endpoint events at the given instants. */
  runTo(t: number, events: number[] = []): void {
    const pending = [...events];
    for (;;) {
      const next = this.queue[0];
      const ev = pending[0];
      if (ev !== undefined && ev <= t && (next === undefined || ev <= next.at)) {
        this.now = ev;
        pending.shift();
        for (const f of this.readinessListeners) f('default/web');
        continue;
      }
      if (next === undefined || next.at > t) break;
      this.queue.shift();
      this.now = next.at;
      next.fn();
    }
    this.now = t;
  }
}

const istiod = { ...DEFAULT_MESH.istiod, configChangesPerSecond: 1, cpuPerPush: 0.5e-3 };

describe("istiod's push load", () => {
  it('steady churn: 1 change/s x 10 proxies x 0.5 ms = 5 ms of CPU per second', () => {
    const c = new Clock();
    const load = new IstiodLoad(c, istiod, () => 10);
    c.runTo(20);
    expect(load.cpuSeconds()).toBeCloseTo(20 * 10 * 0.5e-3, 12);
    expect(load.pushes).toBe(0);
  });

  it('a step: three pods ready within 120 ms are one push to every proxy, 100 ms after the last', () => {
    const c = new Clock();
    const load = new IstiodLoad(c, istiod, () => 10);
    // Checks at 5.1 (quiet 50 ms), 5.15 (quiet 30 ms), then 5.22: quiet 100 ms, push.
    c.runTo(5.219, [5, 5.05, 5.12]);
    expect(load.pushes).toBe(0);
    c.runTo(5.221);
    expect(load.pushes).toBe(1);
    c.runTo(20);
    // 0.1 cores-seconds of steady churn, plus one push of 10 x 0.5 ms.
    expect(load.cpuSeconds()).toBeCloseTo(0.1 + 10 * 0.5e-3, 12);
  });

  it('the step follows the proxies connected: 1,000 sidecars make the same burst 100 times dearer', () => {
    const c = new Clock();
    const load = new IstiodLoad(c, { ...istiod, configChangesPerSecond: 0 }, () => 1000);
    c.runTo(1, [0.5]);
    expect(load.cpuSeconds()).toBeCloseTo(1000 * 0.5e-3, 12);
  });

  it('a proxy that (re)connects gets one full push of its own at once, outside the debounce', () => {
    const c = new Clock() as Clock & { proxyConnected?: () => void };
    const load = new IstiodLoad(c, { ...istiod, configChangesPerSecond: 0 }, () => 10);
    c.runTo(3);
    c.proxyConnected!();
    expect(load.pushed()).toBe(1);
    expect(load.pushes).toBe(0);
  });

  it('counts only what falls in the measured window: steady churn and pushes before it are left out', () => {
    const c = new Clock();
    const load = new IstiodLoad(c, istiod, () => 10, 5);
    c.runTo(20, [2]);
    // 15 s x 10 pushes/s in the window; the burst at 2 s (pushed at 2.1 s) is before it.
    expect(load.pushedInWindow()).toBeCloseTo(150, 9);
    expect(load.pushed()).toBeCloseTo(200 + 10, 9);
  });

  it('endless churn still pushes every PILOT_DEBOUNCE_MAX (10 s): events every 70 ms for 25 s are 3 pushes', () => {
    const c = new Clock();
    const load = new IstiodLoad(c, { ...istiod, configChangesPerSecond: 0 }, () => 1);
    const events = Array.from({ length: Math.floor(25 / 0.07) + 1 }, (_, k) => k * 0.07);
    c.runTo(30, events);
    // Forced at about 10 s and 20 s, the rest 100 ms after the last event.
    expect(load.pushes).toBe(3);
    expect(load.cpuSeconds()).toBeCloseTo(3 * 0.5e-3, 12);
  });
});

describe("istiod's push load in a run", () => {
  it('a sidecar upgrade of 3 pods one at a time: 3 debounced pushes to every proxy and 3 full pushes to the new ones', async () => {
    const { place } = await import('../../src/cluster/index.ts');
    const { controlPlaneLoad } = await import('../../src/mesh/index.ts');
    const { engineFor, scenario } = await import('./helpers.ts');
    const s = scenario(`
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: churn }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 2 }]
namespaces: [{ name: default, labels: { istio-injection: enabled } }]
mesh: { istiod: { configChangesPerSecond: 0/s } }
services:
  - { name: web, replicas: 3, serviceTime: 1ms }
traffic: [{ name: load, to: web, rate: 50/s }]
lifecycle: { podStartup: 5s }
events: [{ at: 10s, upgrade: dataplane, maxSurge: 1, maxUnavailable: 0 }]
compare: [sidecar]
simulation: { duration: 60s, warmup: 1s, replications: 1 }
`);
    const proxies = controlPlaneLoad(s, place(s, 'sidecar')).proxies;
    const e = engineFor(s, 'sidecar');
    e.run();
    // Takeovers at 15, 20 and 25 s, each its own burst (5 s apart, far beyond the 100 ms debounce).
    const pushes = 3 * proxies + 3;
    expect(e.controlPlane!.pushesPerSecond * 59).toBeCloseTo(pushes, 9);
    expect(e.controlPlane!.cpu).toBeCloseTo((pushes * 0.5e-3) / 59, 12);
  });
});

describe("istiod's push load follows the proxies autoscalers add", () => {
  it('an HPA step 1 -> 3 sidecar pods: steady churn reaches 2 more proxies, each gets a full push, one burst reaches all', async () => {
    const { place } = await import('../../src/cluster/index.ts');
    const { controlPlaneLoad } = await import('../../src/mesh/index.ts');
    const { engineFor, scenario, sidecarStart } = await import('./helpers.ts');
    const s = scenario(`
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: hpa-proxies }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 2 }]
namespaces: [{ name: default, labels: { istio-injection: enabled } }]
mesh: { istiod: { configChangesPerSecond: 1/s, autoscaling: { enabled: false } } }
services:
  - name: web
    replicas: 1
    resources: { requests: { cpu: 250m } }
    serviceTime: 40ms
    autoscaling: { maxReplicas: 3, targetCPUUtilization: 50 }
traffic: [{ name: load, to: web, rate: 100/s, arrival: constant, connection: { type: per-request } }]
lifecycle: { podStartup: 5s }
compare: [sidecar]
simulation: { duration: 60s, warmup: 1s, replications: 1 }
`);
    const p0 = controlPlaneLoad(s, place(s, 'sidecar')).proxies;
    const e = engineFor(s, 'sidecar');
    e.run();
    const rec = e.autoscaling.find((a) => a.owner === 'default/web')!;
    expect(rec.desired).toEqual([
      { at: 0, replicas: 1 },
      { at: 15, replicas: 3 },
    ]);
    // Ready 5 s after creation and their native sidecars' start.
    const ready = 20 + sidecarStart(e, 'default/web');
    expect(rec.ready.at(-1)!.replicas).toBe(3);
    expect(rec.ready.at(-1)!.at).toBeCloseTo(ready, 9);
    // 1 change/s to p0 proxies over the 59 s window and to 2 more from their creation at 15 s; a full
    // push to each new sidecar when it connects (20 s); one debounced push to all p0 + 2 at 20.1 s.
    const pushes = p0 * 59 + 2 * 45 + 2 + (p0 + 2);
    expect(e.controlPlane!.pushesPerSecond * 59).toBeCloseTo(pushes, 9);
  });
});

describe("istiod's pushes reach the proxies that need them (push-audience.ts)", () => {
  const text = (scope: 'mesh' | 'callees') => `
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: scoped-pushes }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 3 }]
namespaces: [{ name: default, labels: { istio-injection: enabled } }]
mesh: { istiod: { configChangesPerSecond: 0/s }, sidecar: { scope: ${scope} } }
services:
  - { name: web, replicas: 2, serviceTime: 1ms, calls: [{ to: api }] }
  - { name: api, replicas: 3, serviceTime: 1ms }
  - { name: other, replicas: 5, serviceTime: 1ms }
traffic: [{ name: load, to: web, rate: 50/s }]
events: [{ at: 10s, fault: sidecar, selector: api, recovery: 5s }]
compare: [sidecar]
simulation: { duration: 30s, warmup: 1s, replications: 1 }
`;

  it('a change of api reaches every sidecar that sees the whole mesh, but only its callers and its own when scoped', async () => {
    const { place } = await import('../../src/cluster/index.ts');
    const { PushAudience } = await import('../../src/events/push-audience.ts');
    const { scenario } = await import('./helpers.ts');
    const mesh = scenario(text('mesh'));
    const all = new PushAudience(mesh, place(mesh, 'sidecar'));
    const scoped = scenario(text('callees'));
    const some = new PushAudience(scoped, place(scoped, 'sidecar'));
    const sidecars = (s: typeof mesh, owner: string) =>
      place(s, 'sidecar').pods.filter((p) => p.owner === owner && p.hasSidecar && p.node >= 0).length;
    const n = (s: typeof mesh) => place(s, 'sidecar').pods.filter((p) => p.hasSidecar && p.node >= 0).length;
    expect(all.connected).toBe(n(mesh));
    expect(all.reached(new Set(['default/api']))).toBe(n(mesh));
    // Scoped: web's 2 sidecars call api, api's 3 are its own; other's 5 do not see it.
    expect(some.connected).toBe(n(scoped));
    expect(some.reached(new Set(['default/api']))).toBe(
      sidecars(scoped, 'default/web') + sidecars(scoped, 'default/api'),
    );
    expect(some.reached(new Set(['default/api']))).toBe(5);
    expect(some.reached(new Set(['default/other']))).toBe(5);
    // A merged push carries both: their audiences join, each proxy counted once.
    expect(some.reached(new Set(['default/api', 'default/web']))).toBe(5);
    expect(some.reached(new Set(['default/api', 'default/other']))).toBe(10);
    // Proxies an autoscaler adds to web are reached by api's changes too.
    some.add('default/web', 2);
    expect(some.reached(new Set(['default/api']))).toBe(7);
    // A waypoint replica an autoscaler adds is reached by every push, even one named like a service.
    some.add('default/api', 1, false);
    expect(some.reached(new Set(['default/other']))).toBe(6);
    expect(some.reached(new Set(['default/api']))).toBe(8);
  });

  it('the steady churn reaches a scoped sidecar for the share of the services it sees', async () => {
    const { place } = await import('../../src/cluster/index.ts');
    const { PushAudience } = await import('../../src/events/push-audience.ts');
    const { configSize, controlPlaneLoad, envoyIdleCpu, istiodUsage, withIdleDefaults } = await import(
      '../../src/mesh/index.ts'
    );
    const { buildWorld } = await import('../../src/simulate/index.ts');
    const { engineFor, scenario } = await import('./helpers.ts');
    const churn = (scope: 'mesh' | 'callees') =>
      scenario(
        text(scope)
          .replace('configChangesPerSecond: 0/s', 'configChangesPerSecond: 1/s')
          .replace(/^events:.*\n/m, ''),
      );
    // Scoped, of the 3 services: web's 2 sidecars see web and api (2/3), api's 3 and other's 5 their own
    // (1/3): 2 x 2/3 + 8 x 1/3 = 4 of the 10 sidecars.
    const s = churn('callees');
    const placement = place(s, 'sidecar');
    const audience = new PushAudience(s, placement);
    expect(audience.steadyReach()).toBeCloseTo(4, 12);
    audience.add('default/web', 2);
    expect(audience.steadyReach()).toBeCloseTo(4 + 4 / 3, 12);
    expect(controlPlaneLoad(s, placement).steadyReach).toBeCloseTo(4, 12);
    expect(istiodUsage(s.mesh, controlPlaneLoad(s, placement)).pushesPerSecond).toBeCloseTo(4, 12);
    // Over the 29 s window: 4 pushes a second scoped, 10 unscoped.
    const pushes = (x: typeof s) => {
      const e = engineFor(x, 'sidecar');
      e.run();
      return e.controlPlane!.pushesPerSecond * 29;
    };
    expect(pushes(s)).toBeCloseTo(4 * 29, 9);
    expect(pushes(churn('mesh'))).toBeCloseTo(10 * 29, 9);
    // What each sidecar applies of it is in its background CPU: web's at 2/3 of a change a second.
    const w = buildWorld(s, placement);
    const web = placement.pods.find((p) => p.owner === 'default/web' && p.hasSidecar)!;
    const px = w.podProxy[web.index]!;
    const config = configSize(s, placement, 'sidecar', 'default/web');
    expect(w.proxyIdleCpu[px]).toBeCloseTo(envoyIdleCpu(config, 2 / 3, withIdleDefaults(s.mesh.idle)), 15);
  });

  it('a routing or policy change is a full push to the sidecars that see it and every waypoint, none to ztunnel', async () => {
    const { place } = await import('../../src/cluster/index.ts');
    const { PushAudience } = await import('../../src/events/push-audience.ts');
    const {
      configSize,
      controlPlaneLoad,
      envoyFullPushCpu,
      envoyIdleCpu,
      istiodUsage,
      withIdleDefaults,
      ztunnelIdleCpu,
    } = await import('../../src/mesh/index.ts');
    const { buildWorld } = await import('../../src/simulate/index.ts');
    const { engineFor, scenario } = await import('./helpers.ts');
    const objects = (scope: 'mesh' | 'callees', ambient = false) => {
      let t = text(scope)
        .replace(
          'configChangesPerSecond: 0/s',
          'configChangesPerSecond: 0/s, configObjectChangesPerSecond: 2/s',
        )
        .replace(/^events:.*\n/m, '');
      if (ambient)
        t = t
          .replace(
            'labels: { istio-injection: enabled }',
            'labels: { istio.io/dataplane-mode: ambient, istio.io/use-waypoint: wp }',
          )
          .replace('services:', 'waypoints: [{ name: wp, namespace: default, replicas: 2 }]\nservices:')
          .replace('compare: [sidecar]', 'compare: [ambient]');
      return scenario(t);
    };
    // Scoped sidecars get their share (4 of 10, as the steady churn), unscoped all 10: 2 changes a second.
    const s = objects('callees');
    const placement = place(s, 'sidecar');
    expect(new PushAudience(s, placement).objectReach()).toBeCloseTo(4, 12);
    expect(istiodUsage(s.mesh, controlPlaneLoad(s, placement)).pushesPerSecond).toBeCloseTo(8, 12);
    const pushes = (x: typeof s, arch: 'sidecar' | 'ambient') => {
      const e = engineFor(x, arch);
      e.run();
      return e.controlPlane!.pushesPerSecond * 29;
    };
    expect(pushes(s, 'sidecar')).toBeCloseTo(8 * 29, 9);
    expect(pushes(objects('mesh'), 'sidecar')).toBeCloseTo(20 * 29, 9);
    // Ambient: the 2 waypoint replicas get every change, the 3 ztunnels none.
    const a = objects('mesh', true);
    const ap = place(a, 'ambient');
    expect(ap.pods.filter((p) => p.kind === 'ztunnel' && p.node >= 0).length).toBe(3);
    expect(controlPlaneLoad(a, ap).objectReach).toBe(2);
    expect(istiodUsage(a.mesh, controlPlaneLoad(a, ap)).pushesPerSecond).toBeCloseTo(4, 12);
    expect(pushes(a, 'ambient')).toBeCloseTo(4 * 29, 9);
    // Each applies a full push per change it gets, in its background CPU: web's sidecar at 2 x 2/3 a
    // second, a waypoint at 2; a ztunnel's is that of no change at all.
    const idle = withIdleDefaults(s.mesh.idle);
    const w = buildWorld(s, placement);
    const web = placement.pods.find((p) => p.owner === 'default/web' && p.hasSidecar)!;
    const config = configSize(s, placement, 'sidecar', 'default/web');
    expect(w.proxyIdleCpu[w.podProxy[web.index]!]).toBeCloseTo(envoyIdleCpu(config, 0, idle, 4 / 3), 15);
    expect(envoyIdleCpu(config, 0, idle, 4 / 3) - envoyIdleCpu(config, 0, idle)).toBeCloseTo(
      (4 / 3) * envoyFullPushCpu(config, idle),
      15,
    );
    const aw = buildWorld(a, ap);
    const wp = ap.pods.find((p) => p.kind === 'waypoint')!;
    const wpConfig = configSize(a, ap, 'waypoint', wp.owner);
    expect(aw.proxyIdleCpu[aw.podProxy[wp.index]!]).toBeCloseTo(envoyIdleCpu(wpConfig, 0, idle, 2), 15);
    const z = ap.pods.find((p) => p.kind === 'ztunnel')!;
    expect(aw.proxyIdleCpu[aw.ztunnelOfNode[z.node]!]).toBe(ztunnelIdleCpu(0, 0, idle));
  });

  it('a fault of an api sidecar: two bursts (out of and back into load balancing), each to 5 sidecars when scoped', async () => {
    const { engineFor, scenario } = await import('./helpers.ts');
    const pushes = (scope: 'mesh' | 'callees') => {
      const e = engineFor(scenario(text(scope)), 'sidecar');
      e.run();
      return e.controlPlane!.pushesPerSecond * 29;
    };
    // Unscoped: every sidecar (2 web, 3 api, 5 other; the load generator has none) twice, plus the full
    // push to the restarted sidecar when it reconnects; scoped: web's and api's 5 twice, and that one.
    expect(pushes('mesh')).toBeCloseTo(2 * 10 + 1, 9);
    expect(pushes('callees')).toBeCloseTo(2 * 5 + 1, 9);
  });
});
