// Failures at two levels (issue 12 item 5): a leaf that always fails fails every user request once, and
// each call edge on the way counts its own failed calls; totals never count a user request twice.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../src/scenario/index.ts';
import { measure, simulateArchitecture } from '../../../src/simulate/index.ts';
import { runEngine } from '../../helpers/scenario-text.ts';

// `front` calls `leaf` with a 5 ms timeout; the leaf takes 20 ms: every call to it times out, so every
// front call answers with an error and every entry request fails.
const TEXT = `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: two-levels }
cluster:
  nodePools:
    - { name: pool, instanceType: custom, vcpu: 16, memory: 64Gi, count: 1, zones: [zone-a], systemReserved: { cpu: 0, memory: 0 } }
namespaces: [{ name: app, labels: {} }]
services:
  - name: front
    namespace: app
    serviceTime: { constant: 1ms }
    calls: [{ to: leaf, timeout: 5ms }]
  - name: leaf
    namespace: app
    serviceTime: { constant: 20ms }
traffic:
  - { name: users, to: front.app, rate: 10/s, arrival: constant }
compare: [none]
simulation: { duration: 5s, warmup: 1s, seed: 1, replications: 1 }
`;

describe('failures at two levels', () => {
  const s = parseScenario(TEXT, 'two-levels.yaml');

  it('user requests failed once each; calls failed per edge; totals and the error series count users', () => {
    const { engine } = runEngine(s, 'none');
    const m = measure(engine);
    const users = m.entries[0]!;
    expect(users.completed).toBe(0);
    expect(users.failed).toBeGreaterThan(30);
    // Both edges failed every measured call: the leaf's timed out, the entry's answered with an error.
    expect(m.edges.map((e) => e.failed)).toEqual([users.failed, users.failed]);
    // Whole run (warm-up included): users' failures once, calls at every depth twice as many.
    const rec = engine.recorder;
    const errors = rec.errorBins.reduce((a, b) => a + b, 0);
    expect(rec.requestsFailed).toBe(errors);
    expect(rec.callsFailed).toBe(2 * rec.requestsFailed);
    // Every arrival of the run failed (none is left in flight: the leaf timed out long before the end).
    expect(errors).toBe(rec.arrivalBins.reduce((a, b) => a + b, 0));
  });

  it('the results error series matches the failed user requests', () => {
    const r = simulateArchitecture(s, 'none');
    const ts = r.timeseries;
    const errorsPerSecond = ts.errors.slice(1).reduce((a, b) => a + b, 0) * ts.step;
    expect(errorsPerSecond).toBeCloseTo(r.entryPoints[0]!.failed.mean, 6);
  });
});
