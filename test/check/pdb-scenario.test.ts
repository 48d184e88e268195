// MSH407 on a scenario: a service's disruptionBudget that allows no eviction blocks every node drain.
import { describe, expect, it } from 'vitest';
import { checkScenario } from '../../src/check/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';

const text = (budget: string, replicas = 2) => `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: t }
cluster:
  nodePools: [{ name: p, instanceType: m5.xlarge, count: 2 }]
services:
  - { name: api, namespace: app, replicas: ${replicas}, disruptionBudget: ${budget} }
traffic: [{ name: in, to: api.app, rate: 10/s }]
`;

const findings = (budget: string, replicas?: number) => {
  const t = text(budget, replicas);
  return checkScenario(parseScenario(t, 's.yaml'), { file: 's.yaml', text: t }).filter(
    (x) => x.code === 'MSH407',
  );
};

describe('MSH407 for a scenario service', () => {
  it('warns where the budget allows none of the replicas to go, at the service', () => {
    const f = findings('{ minAvailable: 2 }');
    expect(f.map((x) => [x.severity, x.object.name, x.object.line])).toEqual([['warning', 'api', 7]]);
    expect(f[0]!.message).toBe('the disruptionBudget of app/api allows 0 of 2 pod(s) to be evicted');
    expect(findings('{ maxUnavailable: 0 }')).toHaveLength(1);
    // 50 % of 3 rounds up to 2 required healthy: one may go.
    expect(findings('{ minAvailable: "50%" }', 3)).toEqual([]);
    expect(findings('{ maxUnavailable: 1 }')).toEqual([]);
  });
});
