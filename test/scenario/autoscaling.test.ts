// The autoscaling fields: Kubernetes' defaults filled in, the chart's istiod HPA on by default, and every
// bad value reported at its own line and column.
import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError, type ScenarioIssue } from '../../src/scenario/index.ts';

const text = (service: string, mesh = '') => `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: t }
cluster:
  nodePools:
    - { name: p, instanceType: m5.xlarge, count: 2 }
services:
  - name: a
${service}
traffic:
  - { name: web, to: a, rate: 10/s }
${mesh}`;

function issuesOf(t: string): string[] {
  try {
    parseScenario(t, 'test.yaml');
  } catch (e) {
    if (e instanceof ScenarioError)
      return e.issues.map((i: ScenarioIssue) => `${i.line}:${i.column}: ${i.path}: ${i.message}`);
    throw e;
  }
  throw new Error('expected a ScenarioError');
}

describe('autoscaling', () => {
  it('fills Kubernetes defaults: min 1, 15 s sync, 10 % tolerance, scale-down window 300 s, 100 % or 4 pods per 15 s up', () => {
    const s = parseScenario(text('    autoscaling: { maxReplicas: 5 }'), 'test.yaml');
    expect(s.services[0]!.autoscaling).toEqual({
      minReplicas: 1,
      maxReplicas: 5,
      targetCPUUtilization: 80,
      syncPeriod: 15,
      tolerance: 0.1,
      metricsWindow: 15,
      scaleUp: {
        stabilizationWindow: 0,
        selectPolicy: 'Max',
        policies: [
          { type: 'Percent', value: 100, period: 15 },
          { type: 'Pods', value: 4, period: 15 },
        ],
      },
      scaleDown: {
        stabilizationWindow: 300,
        selectPolicy: 'Max',
        policies: [{ type: 'Percent', value: 100, period: 15 }],
      },
    });
  });

  it("istiod's HPA is the istio-discovery chart's (1-5 at 80 %) unless disabled", () => {
    const on = parseScenario(text('    replicas: 1'), 'test.yaml').mesh.istiod.autoscaling;
    expect(on).toMatchObject({ minReplicas: 1, maxReplicas: 5, targetCPUUtilization: 80 });
    const off = parseScenario(
      text('    replicas: 1', 'mesh: { istiod: { autoscaling: { enabled: false } } }'),
      'test.yaml',
    );
    expect(off.mesh.istiod.autoscaling).toBeNull();
  });

  it('reports bad values at their position', () => {
    expect(
      issuesOf(
        text(`    autoscaling:
      minReplicas: 4
      maxReplicas: 2
      targetCPUUtilization: 0
      scaleDown: { stabilizationWindow: 2h, policies: [{ type: Nodes, value: 1, period: 15s }] }
      behaviour: {}`),
      ),
    ).toEqual([
      '12:29: services[0].autoscaling.targetCPUUtilization: found "0", expected an integer from 1 to 1000',
      '13:64: services[0].autoscaling.scaleDown.policies[0].type: found "Nodes", expected one of: Pods, Percent',
      '14:7: services[0].autoscaling.behaviour: unknown field "behaviour", expected a known field (one of: minReplicas, targetCPUUtilization, syncPeriod, tolerance, metricsWindow, scaleUp, scaleDown, maxReplicas, container)',
    ]);
    expect(
      issuesOf(
        text('    autoscaling: { minReplicas: 4, maxReplicas: 2, scaleDown: { stabilizationWindow: 2h } }'),
      ),
    ).toEqual([
      '9:49: services[0].autoscaling.maxReplicas: found "2", expected an integer >= minReplicas (4)',
      '9:86: services[0].autoscaling.scaleDown.stabilizationWindow: found "2h", expected a duration from 0s to 3600s',
    ]);
    expect(issuesOf(text('    autoscaling: { minReplicas: 2 }'))[0]).toContain(
      'services[0].autoscaling.maxReplicas',
    );
  });
});
