// Every quantity the schema accepts is one the model can represent: the values that used to pass
// validation and then exhaust memory or print "Infinity" are positioned input errors.
import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError } from '../../src/scenario/index.ts';

function scenario(o: { replicas?: string; nodes?: string; call?: string; duration?: string } = {}): string {
  return `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: t }
cluster:
  nodePools: [{ name: p, instanceType: m5.xlarge, count: ${o.nodes ?? '2'} }]
services:
  - name: a
    replicas: ${o.replicas ?? '2'}
    calls: [{ to: b${o.call ? `, ${o.call}` : ''} }]
  - { name: b }
traffic:
  - { name: web, to: a, rate: 10/s }
simulation: { duration: ${o.duration ?? '10s'} }
`;
}

function firstIssue(text: string): string {
  try {
    parseScenario(text, 't.yaml');
  } catch (e) {
    if (e instanceof ScenarioError) {
      const i = e.issues[0]!;
      return `${i.line}:${i.column}: ${i.path}: ${i.message}`;
    }
    throw e;
  }
  return 'accepted';
}

describe('bounds on what the schema accepts', () => {
  it('accepts the largest supported Kubernetes cluster', () => {
    expect(firstIssue(scenario({ replicas: '150000', nodes: '5000' }))).toBe('accepted');
  });
  it.each([
    [
      { replicas: '1e9' },
      '8:15: services[0].replicas: found "1000000000", expected an integer from 0 to 150000',
    ],
    [
      { nodes: '1e9' },
      '5:58: cluster.nodePools[0].count: found "1000000000", expected an integer from 1 to 5000',
    ],
    [
      { call: 'count: 1e9' },
      'services[0].calls[0].count: found "1000000000", expected a number >= 0 and <= 1000',
    ],
    [
      { call: 'responseSize: 1e300' },
      'services[0].calls[0].responseSize: found "1e+300", expected a size such as 512B, 1KiB, 1KB or 4MiB, at most 1TiB',
    ],
    [
      { duration: '1e9' },
      'simulation.duration: found "1000000000", expected a duration such as 2ms, 30s, 100us, 5m, 1h or 1m30s, greater than 0, at most 100000000s (about 3 years)',
    ],
  ])('%o is refused with a position and the bound', (o, message) => {
    expect(firstIssue(scenario(o))).toContain(message);
  });
});
