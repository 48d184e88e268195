// A proxy whose configuration alone needs more than its memory limit is OOM-killed at every start
// (world/memory.ts): it never serves and its pod is never ready. Unscoped sidecars of a mesh of many
// services meet it first; scoping them to their callees (a Sidecar resource) or ambient's ztunnels,
// which have no limit, do not.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/index.ts';
import { simulateArchitecture } from '../../src/simulate/index.ts';
import { NO_IDLE_CPU } from '../helpers/scenario-text.ts';

// 38 filler services of 10 replicas beside web -> api: an unscoped sidecar holds every cluster and
// endpoint of the mesh, about 10 MiB of configuration at 0.092 MiB per cluster and 0.018 MiB per
// endpoint over its 56.7 MiB base (the calibrated sizing model, scenario/defaults.ts): 67 MiB, above a
// 64Mi limit. Scoped to its callees it holds at most api's one cluster and endpoint: 57 MiB.
const fillers = Array.from(
  { length: 38 },
  (_, i) =>
    `  - { name: f${i}, namespace: app, replicas: 10, resources: { requests: { cpu: 10m, memory: 16Mi } } }`,
).join('\n');

const scenario = (scope: 'mesh' | 'callees') =>
  parseScenario(
    `
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: crash-loop }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 10 }]
namespaces: [{ name: app, labels: { istio.io/dataplane-mode: ambient } }]
services:
  - { name: web, namespace: app, replicas: 1, serviceTime: 1ms, calls: [{ to: api.app }] }
  - { name: api, namespace: app, replicas: 1, serviceTime: 1ms }
${fillers}
traffic:
  - { name: web, to: web.app, rate: 50/s, clientMode: sidecar }
mesh:
  sidecar:
    scope: ${scope}
    resources: { requests: { cpu: 10m, memory: 32Mi }, limits: { memory: 64Mi } }
${NO_IDLE_CPU}
compare: [sidecar, ambient]
simulation: { duration: 3s, warmup: 1s, replications: 1 }
`,
    'crash-loop.yaml',
  );

describe('proxies that cannot hold their configuration', () => {
  it('unscoped sidecars over their memory limit never serve: every request fails, and the results say why', () => {
    const r = simulateArchitecture(scenario('mesh'), 'sidecar');
    const e = r.entryPoints[0]!;
    expect(e.offered.mean).toBeGreaterThan(50);
    expect(e.completed.mean).toBe(0);
    expect(e.failed.mean).toBe(e.offered.mean);
    // every sidecar: 380 filler pods, web, api and the load generator; said once, not once per pod, and
    // a dead container uses no memory (it is not also a per-pod memory risk)
    expect(r.warnings.filter((x) => x.startsWith('crash loop: '))).toEqual([
      expect.stringContaining('crash loop: 383 sidecar containers need up to 67Mi for configuration'),
    ]);
    expect(r.warnings.some((x) => x.includes('above a 64Mi memory limit: OOM-killed'))).toBe(true);
    expect(r.placement.crashLoops).toEqual([
      {
        component: 'sidecar',
        containers: 383,
        configMemory: expect.closeTo(67 * 2 ** 20, -6),
        limit: 64 * 2 ** 20,
      },
    ]);
    expect(r.warnings.some((x) => x.startsWith('memory at risk'))).toBe(false);
    expect(r.components.find((c) => c.component === 'sidecar')!.memory.used.mean).toBe(0);
  });

  it('scoped to their callees the same sidecars fit and serve; ambient has no such limit', () => {
    const scoped = simulateArchitecture(scenario('callees'), 'sidecar');
    const ambient = simulateArchitecture(scenario('mesh'), 'ambient');
    for (const r of [scoped, ambient]) {
      expect(r.warnings.some((x) => x.startsWith('crash loop: '))).toBe(false);
      expect(r.entryPoints[0]!.failed.mean).toBe(0);
      expect(r.entryPoints[0]!.completed.mean).toBeGreaterThan(50);
    }
  });
});
