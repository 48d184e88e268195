// Waypoints leave with the grace period istiod's template gives them (2 s up to Istio 1.27, 30 s from
// 1.28), and an in-place istiod upgrade rolls every waypoint it manages.
import { describe, expect, it } from 'vitest';
import { conserved, engineFor, scenario } from './helpers.ts';

const ambient = (version: string, event: string) =>
  scenario(`
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: wp }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 3 }]
namespaces:
  - { name: pay, labels: { istio.io/dataplane-mode: ambient, istio.io/use-waypoint: pay-waypoint } }
waypoints:
  - { name: pay-waypoint, namespace: pay, replicas: 2 }
services:
  - name: quotes
    namespace: pay
    replicas: 2
    serviceTime: 1ms
traffic:
  - name: streams
    to: quotes.pay
    rate: 100/s
    clients: 8
    protocol: grpc
    clientMode: ambient
    connection: { type: long-lived, poolSize: 2, lifetime: { constant: 1h } }
mesh: { version: "${version}" }
lifecycle: { podStartup: 5s }
events:
${event}
compare: [ambient]
simulation: { duration: 90s, warmup: 1s, replications: 1 }
`);

describe('waypoint termination follows the template of its Istio version', () => {
  const upgrade = '  - { at: 10s, upgrade: waypoint }';
  it('1.27: SIGKILL at 2 s cuts the 5 s drain short: the streams it carries are reset at 2 s', () => {
    const e = engineFor(ambient('1.27', upgrade), 'ambient');
    e.run();
    const rec = e.disruption[0]!;
    expect(rec.connectionsReset).toBeGreaterThan(0);
    expect(rec.mechanism).toContain('2 s of grace');
    // The old pods are gone 2 s after each takeover, not 30 s.
    expect(rec.settledAfter! - rec.rolloutDuration!).toBe(2);
    expect(conserved(e)).toBe(true);
  });

  it('1.28: 30 s of grace, the 5 s drain runs out, and pilot-agent stops Envoy then', () => {
    const e = engineFor(ambient('1.28', upgrade), 'ambient');
    e.run();
    const rec = e.disruption[0]!;
    expect(rec.mechanism).toContain('drain for 5 s within a 30 s grace period');
    // A GOAWAY ends no stream already open: the long-lived streams are still reset, at 5 s.
    expect(rec.connectionsReset).toBeGreaterThan(0);
    expect(rec.settledAfter! - rec.rolloutDuration!).toBe(5);
  });

  it('a waypoint scale-down under 1.26 resets what the removed replica carried after 2 s', () => {
    const e = engineFor(ambient('1.26', '  - { at: 10s, scale: pay-waypoint, replicas: 1 }'), 'ambient');
    e.run();
    expect(e.disruption[0]!.connectionsReset).toBeGreaterThan(0);
    expect(e.disruption[0]!.settledAfter).toBe(2);
  });
});

describe('an in-place istiod upgrade', () => {
  it('rolls every waypoint it renders, with the old version’s grace period', () => {
    const e = engineFor(ambient('1.26', '  - { at: 10s, upgrade: control-plane }'), 'ambient');
    e.run();
    const rec = e.disruption[0]!;
    expect(rec.label).toBe('upgrade control plane to 1.27');
    expect(rec.podsRestarted).toBe(2);
    expect(rec.connectionsReset).toBeGreaterThan(0);
    expect(rec.notes).toEqual([]);
  });

  it('from 1.27 to 1.28 the old (1.27) waypoints still leave after 2 s', () => {
    const e = engineFor(ambient('1.27', '  - { at: 10s, upgrade: control-plane }'), 'ambient');
    e.run();
    expect(e.disruption[0]!.connectionsReset).toBeGreaterThan(0);
  });

  it('reports a version skew when istiod jumps two minors ahead of ztunnel', () => {
    const e = engineFor(ambient('1.26', '  - { at: 10s, upgrade: control-plane, to: "1.28" }'), 'ambient');
    e.run();
    expect(e.disruption[0]!.notes[0]).toMatch(/istiod 1.28 is 2 minors ahead of ztunnel 1.26/);
    expect(e.disruption[0]!.mechanism).toContain('VIOLATION');
  });

  it('reports a ztunnel upgraded before its control plane', () => {
    const e = engineFor(ambient('1.27', '  - { at: 10s, upgrade: dataplane, to: "1.28" }'), 'ambient');
    e.run();
    expect(e.disruption[0]!.notes[0]).toMatch(/ztunnel 1.28 is newer than istiod 1.27/);
  });
});

describe('waypoints rendered by a newer istiod', () => {
  it('after an upgrade to 1.28 during the run, a scale-down gives the new waypoint pods 30 s of grace: the 5 s drain completes', () => {
    const e = engineFor(
      ambient(
        '1.27',
        '  - { at: 10s, upgrade: control-plane }\n  - { at: 50s, scale: pay-waypoint, replicas: 1 }',
      ),
      'ambient',
    );
    e.run();
    // The upgraded waypoints come from the 1.28 template: Envoy drains 5 s and exits, no 2 s SIGKILL.
    expect(e.disruption[1]!.settledAfter).toBe(5);
  });
});
