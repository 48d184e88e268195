// Faults over deep application queues (issue 18's crash): a proxy or node dying under a service whose
// queue holds thousands of waiting calls fails them one after another. The kernel's grant path is
// iterative now, so no depth of queue overflows the stack; every request is still accounted for.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conserved, engineFor, scenario } from '../events/helpers.ts';

function text(o: { rate: number; concurrency: number; target: string; at: number; ns: string }): string {
  return `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: deep }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 2 }]
namespaces: [{ name: app, labels: { ${o.ns} } }]
services:
  - { name: api, namespace: app, replicas: 1, concurrency: ${o.concurrency}, serviceTime: 1ms }
traffic:
  - { name: web, to: api.app, rate: ${o.rate}/s, timeout: 30s }
events:
  - { at: ${o.at}s, fault: ${o.target}, selector: "${o.target === 'sidecar' ? 'api.app' : '0'}", recovery: 1s }
compare: [sidecar]
simulation: { duration: 6s, warmup: 1s, replications: 1 }
`;
}

describe('faults over deep application queues', () => {
  it("the issue's reproducer: concurrency 2 at 3,000/s, the sidecar dies at 5 s (used to overflow the stack)", () => {
    const s = scenario(
      text({ rate: 3000, concurrency: 2, target: 'sidecar', at: 5, ns: 'istio.io/dataplane-mode: ambient' }),
    );
    const e = engineFor(s, 'sidecar');
    expect(() => e.run()).not.toThrow();
    expect(e.recorder.entryFailed[0]).toBeGreaterThan(1000);
    expect(conserved(e)).toBe(true);
  });

  it('random faults over random queues never throw and conserve requests', () => {
    fc.assert(
      fc.property(
        fc.record({
          rate: fc.integer({ min: 200, max: 4000 }),
          concurrency: fc.integer({ min: 1, max: 4 }),
          target: fc.constantFrom('sidecar', 'ztunnel', 'node'),
          at: fc.integer({ min: 2, max: 5 }),
          arch: fc.constantFrom('sidecar', 'ambient'),
        }),
        (o) => {
          const ns = o.arch === 'sidecar' ? 'istio-injection: enabled' : 'istio.io/dataplane-mode: ambient';
          const target = o.arch === 'sidecar' && o.target === 'ztunnel' ? 'sidecar' : o.target;
          const s = scenario(
            text({ ...o, target, ns }).replace('compare: [sidecar]', `compare: [${o.arch}]`),
          );
          const e = engineFor(s, o.arch);
          e.run();
          expect(conserved(e)).toBe(true);
        },
      ),
      { numRuns: 12, seed: 18 },
    );
  });
});
