// A plan judged on a run whose load generators fell behind would be judged on less load than planned: such
// a count fails, as an unmet SLO does ('clients'), and more nodes are tried.
import { describe, expect, it } from 'vitest';
import {
  describeBinding,
  runPlan,
  type Sample,
  simulatedRatio,
  sloBinding,
  sloMet,
} from '../../src/plan/index.ts';
import { tiny } from './fixture.ts';

function sample(pace: number): Sample {
  return {
    nodes: 3,
    unschedulable: 0,
    memoryShortNodes: 0,
    memoryExcess: 0,
    cpu: { mean: 0.2, max: 0.3 },
    entryPoints: [
      {
        name: 'web',
        p50: 0.001,
        p99: 0.002,
        p999: 0.003,
        slo: [{ quantile: 'p99', target: 0.01, value: 0.002, met: true }],
        clientPace: pace,
      },
    ],
    monthly: { nodes: 1, crossZone: 0, proxyFee: 0, total: 1 },
    meshShare: 0,
    ztunnelForBusiest: null,
    replications: 1,
    usage: {},
  };
}

describe('load generators that fell behind', () => {
  it('fail a count, with their pace as the binding figure', () => {
    expect(sloMet(sample(1))).toBe(true);
    expect(sloMet(sample(0.8))).toBe(false);
    expect(simulatedRatio(sample(0.8))).toBeCloseTo(1.25, 12);
    // The SLO at 0.2 of its target is not what binds: the clients are.
    const b = sloBinding(sample(0.8), 3);
    expect(b).toMatchObject({ constraint: 'clients', nodes: 3, value: 0.8, limit: 1 });
    expect(describeBinding(b)).toMatch(/web: its load generators fell behind.*80\.0%.* at 3/);
  });

  it('a client held by its own CPU limit makes the row infeasible: more nodes do not help', async () => {
    // 1 ms of client CPU per request at 200/s wants 0.2 cores; its limit gives it 0.1 whatever the nodes.
    const s = tiny({
      rate: '200/s',
      client: '{ cpuPerRequest: 1ms, cpuPerConnection: 0s, resources: { limits: { cpu: 100m } } }',
      compare: '[none]',
    });
    const { plan } = await runPlan(s, { headroom: 0, cpuTarget: 1, instanceTypes: ['pool'], maxNodes: 4 });
    const row = plan.rows[0]!;
    expect(row.nodes).toBeNull();
    expect(row.reason).toMatch(/load generators fell behind/);
  });

  it('a weightless client never binds', async () => {
    const { plan } = await runPlan(tiny({ compare: '[none]' }), {
      headroom: 0,
      cpuTarget: 1,
      instanceTypes: ['pool'],
    });
    expect(plan.rows[0]!.binding?.constraint).not.toBe('clients');
    expect(plan.rows[0]!.nodes).toBe(1);
  });
});
