// Versions and request routes in the scenario file: what the loader fills and where it points when a
// field is wrong.
import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError, type ScenarioIssue } from '../../src/scenario/index.ts';

function issuesOf(text: string): ScenarioIssue[] {
  try {
    parseScenario(text, 'test.yaml');
  } catch (e) {
    if (e instanceof ScenarioError) return e.issues;
    throw e;
  }
  throw new Error('expected a ScenarioError');
}
const lines = (text: string) => issuesOf(text).map((i) => `${i.line}:${i.column}: ${i.path}: ${i.message}`);

const HEAD = `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: t }
cluster:
  nodePools:
    - { name: p, instanceType: m5.xlarge, count: 2 }
`;

describe('versions and routes in the scenario', () => {
  it('fill versions from the service: replicas summed, resources, service time and calls inherited', () => {
    const s = parseScenario(
      `${HEAD}services:
  - name: a
    serviceTime: { constant: 3ms }
    resources: { requests: { cpu: 200m, memory: 256Mi } }
    calls: [{ to: b }]
    versions:
      - { name: v1, replicas: 2 }
      - { name: v2, replicas: 1, resources: { requests: { cpu: 1 } }, calls: [] }
  - { name: b }
traffic:
  - { name: web, to: a, rate: 10/s }
`,
      't.yaml',
    );
    const a = s.services[0]!;
    expect(a.replicas).toBe(3);
    expect(a.versions!.map((v) => v.replicas)).toEqual([2, 1]);
    expect(a.versions![0]!.serviceTime).toEqual({ kind: 'constant', value: 0.003 });
    expect(a.versions![0]!.calls).toBe(a.calls);
    expect(a.versions![1]!.calls).toEqual([]);
    expect(a.versions![1]!.resources.requests).toEqual({ cpu: 1, memory: 256 * 2 ** 20 });
    expect(a.versions![0]!.weight).toBeUndefined();
  });

  it('point at duplicate names, zero weights, version overrides beside routes', () => {
    const got = lines(`${HEAD}services:
  - name: a
    routes:
      - { name: r, weight: 0 }
      - { name: r, weight: 0 }
    versions:
      - { name: v1, serviceTime: { constant: 1ms } }
traffic:
  - { name: web, to: a, rate: 10/s }
`);
    expect(got).toContainEqual(
      expect.stringMatching(/^11:17: services\[0\]\.routes\[1\]\.name: .*a route name not used before/),
    );
    expect(got).toContainEqual(
      expect.stringMatching(/^10:28: services\[0\]\.routes\[0\]\.weight: .*at least one is above 0/),
    );
    expect(got).toContainEqual(
      expect.stringMatching(
        /^13:21: services\[0\]\.versions\[0\]\.serviceTime: .*no serviceTime on a version of a service with routes/,
      ),
    );
  });

  it("refuse an entry route's call back to the entry point's target (a request would recurse forever)", () => {
    const got = lines(`${HEAD}services:
  - { name: a, calls: [{ to: b }] }
  - { name: b }
traffic:
  - name: web
    to: b
    rate: 10/s
    routes: [{ name: r, weight: 1, calls: [{ to: a }] }]
`);
    expect(got).toContainEqual(
      expect.stringMatching(
        /traffic\[0\]\.routes\[0\]\.calls\[0\]\.to: call cycle default\/b -> default\/a -> \.\.\. -> default\/b/,
      ),
    );
  });

  it("an entry route's service time defaults to its target's", () => {
    const s = parseScenario(
      `${HEAD}services:
  - { name: a, serviceTime: { constant: 4ms } }
traffic:
  - { name: web, to: a, rate: 10/s, routes: [{ name: r, weight: 1 }] }
`,
      't.yaml',
    );
    expect(s.traffic[0]!.routes![0]!.serviceTime).toEqual({ kind: 'constant', value: 0.004 });
  });
});
