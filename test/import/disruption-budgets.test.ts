// Import of PodDisruptionBudgets: the service whose pods one selects gets its `disruptionBudget`; pods two
// budgets select can never be evicted (the eviction API refuses them), which a budget of 100 % says.
import { describe, expect, it } from 'vitest';
import { importScenario, parseManifests } from '../../src/import/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  replicas: 4
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web, tier: front } }
    spec:
      containers: [{ name: web, image: x/web, resources: { requests: { cpu: 100m, memory: 64Mi } } }]
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec: { selector: { app: web }, ports: [{ port: 80 }] }
`;
const pdb = (name: string, spec: string) => `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: ${name}, namespace: shop }
spec: { ${spec} }
`;

function budget(parts: string[]) {
  const { manifests } = parseManifests(parts.join('---\n'), 'm.yaml');
  const r = importScenario(manifests, { sources: ['m.yaml'] });
  return { r, budget: parseScenario(r.text, 'm.yaml').services[0]!.disruptionBudget };
}

describe('import of PodDisruptionBudgets', () => {
  it('a budget selecting the service pods becomes its disruptionBudget', () => {
    const a = budget([WEB, pdb('web', 'maxUnavailable: 1, selector: { matchLabels: { app: web } }')]);
    expect(a.budget).toEqual({ maxUnavailable: { value: 1, percent: false } });
    expect(a.r.text).toContain('PodDisruptionBudget shop/web (m.yaml:');
    const b = budget([
      WEB,
      pdb(
        'web',
        'minAvailable: "50%", selector: { matchExpressions: [{ key: tier, operator: In, values: [front] }] }',
      ),
    ]);
    expect(b.budget).toEqual({ minAvailable: { value: 50, percent: true } });
    expect(
      budget([WEB, pdb('other', 'maxUnavailable: 1, selector: { matchLabels: { app: db } }')]).budget,
    ).toBeUndefined();
  });

  it('two budgets over the same pods: every eviction refused', () => {
    const { r, budget: b } = budget([
      WEB,
      pdb('a', 'maxUnavailable: 1, selector: { matchLabels: { app: web } }'),
      pdb('b', 'minAvailable: 1, selector: { matchLabels: { tier: front } }'),
    ]);
    expect(b).toEqual({ minAvailable: { value: 100, percent: true } });
    expect(r.text).toContain('the eviction API refuses every eviction');
  });
});
