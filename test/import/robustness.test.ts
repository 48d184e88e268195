// Manifests with odd shapes (wrong types, negative counts, dotted names) never make the import crash or
// write a scenario the loader rejects: what cannot be used is left at its default and said so.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkManifests } from '../../src/check/index.ts';
import { importScenario, parseManifests, USED_KINDS } from '../../src/import/index.ts';
import { parseScenario, ScenarioError } from '../../src/scenario/index.ts';

const name = fc.constantFrom('a', 'web', 'my.app', 'x'.repeat(70), 'Bad_Name', '');
const value = fc.oneof(
  fc.integer({ min: -5, max: 5 }),
  fc.double({ noNaN: true }),
  fc.string({ maxLength: 6 }),
  fc.constant(null),
  fc.boolean(),
);
const doc = fc.record({
  kind: fc.constantFrom(...USED_KINDS),
  name,
  namespace: fc.constantFrom('default', 'app', 'x.y'),
  labels: fc.dictionary(
    fc.constantFrom('app', 'istio.io/use-waypoint', 'istio.io/dataplane-mode', 'istio-injection'),
    fc.constantFrom('a', 'web', 'ambient', 'enabled'),
  ),
  replicas: value,
  cpu: value,
  port: value,
  cls: fc.constantFrom('istio', 'istio-waypoint', 7),
});

describe('import robustness', () => {
  it('odd manifests import to a scenario the loader accepts', () => {
    fc.assert(
      fc.property(fc.array(doc, { minLength: 1, maxLength: 8 }), (docs) => {
        const text = docs
          .map((d) =>
            JSON.stringify({
              apiVersion: 'v1',
              kind: d.kind,
              metadata: { name: d.name, namespace: d.namespace, labels: d.labels },
              spec: {
                replicas: d.replicas,
                gatewayClassName: d.cls,
                selector: { app: 'a', matchLabels: { app: 'a' } },
                ports: [{ port: d.port }],
                template: {
                  metadata: { labels: { app: 'a' } },
                  spec: {
                    containers: [
                      {
                        name: 'c',
                        resources: { requests: { cpu: d.cpu, memory: d.cpu } },
                        ports: [{ containerPort: d.port }],
                      },
                    ],
                  },
                },
              },
            }),
          )
          .join('\n---\n');
        const { manifests, issues } = parseManifests(text, 'odd.yaml');
        expect(issues).toEqual([]);
        let r: ReturnType<typeof importScenario>;
        try {
          r = importScenario(manifests, { sources: ['odd.yaml'] });
        } catch (e) {
          // The one refusal: nothing to simulate, said as a user error.
          expect(e).toBeInstanceOf(ScenarioError);
          expect((e as ScenarioError).message).toMatch(/nothing to simulate/);
          expect(
            manifests.some((m) => ['Deployment', 'StatefulSet'].includes(m.kind) && m.namespace !== 'x.y'),
          ).toBe(false);
          return;
        }
        expect(() => parseScenario(r.text, 'odd-scenario.yaml')).not.toThrow();
        // The checks read the same odd objects without failing, under every platform setting.
        for (const cni of ['cilium', 'aws-vpc-cni'] as const)
          expect(() => checkManifests(manifests, ['odd.yaml'], { cni, platform: 'gke' })).not.toThrow();
      }),
      { numRuns: 150, seed: 11 },
    );
  });
});
