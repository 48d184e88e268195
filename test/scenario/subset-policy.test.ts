// A version's trafficPolicy: its DestinationRule subset's, merged over the service's as istiod merges them
// (util.go MergeSubsetTrafficPolicy: each group the subset sets replaces the rule's whole; the rule's
// retryBudget is not carried over), and refused where meshsim could not apply it per subset.
import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError } from '../../src/scenario/index.ts';

const text = (api: string) => `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: t }
cluster:
  nodePools: [{ name: p, instanceType: m5.xlarge, count: 2 }]
services:
  - { name: web, calls: [{ to: api }] }
  - name: api
${api}
traffic: [{ name: in, to: web, rate: 10/s }]
`;

const RULE = `    trafficPolicy:
      outlierDetection: { consecutive5xxErrors: 7 }
      connectionPool: { http: { http2MaxRequests: 10, http1MaxPendingRequests: 4 } }
      retryBudget: { percent: 20 }`;

function versions(v2: string, rule = RULE, weights = true) {
  const w = (n: number) => (weights ? `, weight: ${n}` : '');
  return `${rule}
    versions:
      - { name: v1${w(9)} }
      - { name: v2${w(1)}, trafficPolicy: ${v2} }`;
}

function issues(api: string): string[] {
  try {
    parseScenario(text(api), 's.yaml');
  } catch (e) {
    if (e instanceof ScenarioError)
      return e.issues.map((i) => `${i.line}:${i.column} ${i.path}: ${i.expected}`);
    throw e;
  }
  return [];
}

describe("a version's trafficPolicy (its subset's)", () => {
  it("replaces the groups it sets, keeps the rule's others, and drops the rule's retryBudget", () => {
    const s = parseScenario(
      text(versions('{ connectionPool: { http: { http2MaxRequests: 3 } } }')),
      's.yaml',
    );
    const api = s.services.find((x) => x.name === 'api')!;
    const [v1, v2] = api.versions!;
    expect(v1!.trafficPolicy).toBeUndefined();
    const p = v2!.trafficPolicy!;
    expect(p.maxRequests).toBe(3);
    // The whole connectionPool is the subset's: the rule's pending limit is gone with it.
    expect(p.maxPendingRequests).toBeUndefined();
    expect(p.outlierDetection?.consecutive5xxErrors).toBe(7);
    expect(p.retryBudget).toBeUndefined();
    expect(api.trafficPolicy?.retryBudget).toBeDefined();
  });

  it('is the whole policy of a subset whose rule sets none', () => {
    const s = parseScenario(
      text(versions('{ outlierDetection: { maxEjectionPercent: 100 } }', '')),
      's.yaml',
    );
    const p = s.services.find((x) => x.name === 'api')!.versions![1]!.trafficPolicy!;
    expect(p.outlierDetection?.maxEjectionPercent).toBe(100);
    expect(p.maxRequests).toBeUndefined();
  });

  it('needs weights: only a weighted split routes to a subset cluster', () => {
    const out = issues(versions('{ outlierDetection: {} }', RULE, false));
    expect(out.join('\n')).toMatch(/services\[1\]\.versions\[1\]\.trafficPolicy: weights on the versions/);
  });

  it('refuses what meshsim applies per service only: tls, per-connection settings, or dropping them', () => {
    expect(issues(versions('{ tls: { mode: DISABLE } }')).join('\n')).toMatch(
      /trafficPolicy\.tls: tls on the service/,
    );
    expect(issues(versions('{ connectionPool: { http: { idleTimeout: 1s } } }')).join('\n')).toMatch(
      /trafficPolicy\.connectionPool\.http\.idleTimeout: this on the service/,
    );
    const rule = `    trafficPolicy: { connectionPool: { http: { idleTimeout: 5s } } }`;
    expect(issues(versions('{ connectionPool: { tcp: { maxConnections: 2 } } }', rule)).join('\n')).toMatch(
      /trafficPolicy\.connectionPool: no connectionPool here: it would replace the service's whole, dropping its http\.idleTimeout/,
    );
    // Outlier detection alone leaves the rule's connection pool as it is.
    expect(issues(versions('{ outlierDetection: {} }', rule))).toEqual([]);
  });
});
