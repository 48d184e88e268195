// An autoscaled workload is charged for the pods each node really hosted, time-weighted over the measured
// window, not for the pods placed at the start (cost/allocate.ts `hosted`).
import { describe, expect, it } from 'vitest';
import { place } from '../../src/cluster/index.ts';
import { allocate } from '../../src/cost/allocate.ts';
import { costOf } from '../../src/cost/index.ts';
import { nodeRates } from '../../src/cost/rates.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { simulate } from '../../src/simulate/index.ts';

const s = parseScenario(
  `
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: hpa-cost }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 3 }]
services:
  - name: web
    replicas: 1
    resources: { requests: { cpu: 250m, memory: 256Mi } }
    serviceTime: 40ms
    autoscaling: { maxReplicas: 3, targetCPUUtilization: 50 }
    podAntiAffinity: [kubernetes.io/hostname]
traffic:
  - { name: load, to: web, rate: 100/s, arrival: constant, clients: 1, connection: { type: per-request } }
lifecycle: { podStartup: 5s }
compare: [none]
simulation: { duration: 60s, warmup: 1s, replications: 1 }
`,
  'hpa-cost.yaml',
);

describe('cost of autoscaled pods', () => {
  it('each node hosted what the run says: the first pod all 59 s of the window, two more from 15 s', () => {
    const a = simulate(s).architectures[0]!;
    const web = a.autoscaling.find((x) => x.owner === 'default/web')!;
    const p = place(s, 'none');
    const first = p.pods[p.byOwner.get('default/web')![0]!]!.node;
    expect(web.podsByNode).toHaveLength(3);
    for (const h of web.podsByNode) expect(h.pods).toBeCloseTo(h.node === first ? 1 : 45 / 59, 9);
    // The nodes it scaled onto are used nodes, though the starting placement left some empty.
    expect(p.nodesUsed).toBeLessThan(3);
    expect(costOf(s, a).nodes.used).toBe(3);
  });

  it('charges each node its hosted pods x requests at its rates', () => {
    const p = place(s, 'none');
    const used = new Map([['application' as const, { cpu: 0, memory: 0 }]]);
    const hosted = new Map([
      [
        'default/web',
        [
          { node: 1, pods: 0.5 },
          { node: 2, pods: 2 },
        ],
      ],
    ]);
    const n = p.nodes[0]!;
    const rate = nodeRates(n.capacity.cpu, n.capacity.memory, n.pricePerHour);
    const onePod = 0.25 * rate.cpu + 256 * 2 ** 20 * rate.memory;
    const withHosted = allocate(p, used, hosted);
    // The node it was placed on at the start carries none of it: it left before the window.
    const start = p.pods[p.byOwner.get('default/web')![0]!]!.node;
    expect(start).toBe(0);
    expect(withHosted.perNode).toEqual([0, 0.5 * onePod, 2 * onePod].map((x) => expect.closeTo(x, 12)));
    const app = withHosted.byComponent.get('application')!;
    expect(app.cpu + app.memory).toBeCloseTo(2.5 * onePod, 12);
    // Without what was hosted: the one pod placed at the start.
    expect(allocate(p, used).perNode).toEqual([onePod, 0, 0].map((x) => expect.closeTo(x, 12)));
  });
});
