// A plan row whose proxies cannot hold their configuration (simulate/world/memory.ts) is infeasible at any
// node count, and says why rather than only that nothing met its SLO.
import { describe, expect, it } from 'vitest';
import { runPlan } from '../../src/plan/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';

// 12 services, 102 endpoints: an unscoped sidecar needs about 59.7 MiB (56.7 MiB base, 0.092 MiB per
// cluster, 0.018 MiB per endpoint), above a 58Mi limit.
const fillers = Array.from(
  { length: 10 },
  (_, i) => `  - { name: f${i}, namespace: app, replicas: 10 }`,
).join('\n');
const s = parseScenario(
  `
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: plan-crash-loop }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 4 }]
namespaces: [{ name: app, labels: { istio-injection: enabled } }]
services:
  - { name: web, namespace: app, replicas: 1, serviceTime: 1ms, calls: [{ to: api.app }] }
  - { name: api, namespace: app, replicas: 1, serviceTime: 1ms }
${fillers}
traffic:
  - { name: web, to: web.app, rate: 50/s, clientMode: sidecar, slo: { p99: 50ms } }
mesh:
  sidecar:
    resources: { requests: { cpu: 10m, memory: 32Mi }, limits: { memory: 58Mi } }
compare: [sidecar]
simulation: { duration: 2s, warmup: 0.5s, replications: 2 }
`,
  'plan-crash-loop.yaml',
);

describe('plan with proxies in a crash loop', () => {
  it('the row is infeasible and its reason names the crash loop first', async () => {
    const { plan } = await runPlan(s, { instanceTypes: ['m5.xlarge'], maxNodes: 8 });
    const row = plan.rows[0]!;
    expect(row.nodes).toBeNull();
    expect(row.reason).toMatch(
      /^crash loop: 103 sidecar containers need up to 60Mi for configuration, above a 58Mi/,
    );
  });
});
