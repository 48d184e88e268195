// A Deployment's pod anti-affinity (required, preferred) and topologySpreadConstraints over its own pods become the
// scenario's rules (placement-rules.ts); what a scenario cannot say is named in the notes.
import { describe, expect, it } from 'vitest';
import { place } from '../../src/cluster/index.ts';
import { importScenario, parseManifests } from '../../src/import/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';

function deployment(podSpecExtra: string, replicas = 3): string {
  return (
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n` +
    `  replicas: ${replicas}\n  selector:\n    matchLabels: { app: web }\n` +
    '  template:\n    metadata:\n      labels: { app: web, tier: front }\n    spec:\n' +
    podSpecExtra +
    '      containers:\n' +
    '        - name: main\n          image: x/web\n          resources:\n            requests: { cpu: 250m, memory: 128Mi }\n' +
    '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n' +
    '  selector: { app: web }\n  ports: [{ port: 8080 }]\n'
  );
}

function load(text: string) {
  const { manifests, issues } = parseManifests(text, 'shop.yaml');
  expect(issues).toEqual([]);
  const r = importScenario(manifests, { sources: ['shop.yaml'], inferCalls: true });
  const s = parseScenario(r.text, 'shop-scenario.yaml');
  return { text: r.text, s, web: s.services.find((x) => x.name === 'web')! };
}

describe('import of placement rules', () => {
  it('spread over its own pods and required anti-affinity become scenario rules; the rest is noted', () => {
    const { text, web } = load(
      deployment(
        '      topologySpreadConstraints:\n' +
          '        - { maxSkew: 1, topologyKey: topology.kubernetes.io/zone, minDomains: 3, matchLabelKeys: [pod-template-hash], labelSelector: { matchLabels: { app: web } } }\n' +
          '        - { maxSkew: 2, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway,\n' +
          '            labelSelector: { matchExpressions: [{ key: tier, operator: In, values: [front, back] }] } }\n' +
          '        - { maxSkew: 1, topologyKey: topology.kubernetes.io/zone, labelSelector: { matchLabels: { app: db } } }\n' +
          '        - { maxSkew: 1, topologyKey: example.com/rack, labelSelector: { matchLabels: { app: web } } }\n' +
          '      affinity:\n' +
          '        podAntiAffinity:\n' +
          '          requiredDuringSchedulingIgnoredDuringExecution:\n' +
          '            - { topologyKey: kubernetes.io/hostname, labelSelector: { matchLabels: { app: web } } }\n' +
          '          preferredDuringSchedulingIgnoredDuringExecution:\n' +
          '            - { weight: 10, podAffinityTerm: { topologyKey: topology.kubernetes.io/zone, labelSelector: { matchLabels: { app: web } } } }\n' +
          '        nodeAffinity:\n' +
          '          requiredDuringSchedulingIgnoredDuringExecution:\n' +
          '            nodeSelectorTerms: [{ matchExpressions: [{ key: disk, operator: In, values: [ssd] }] }]\n',
      ),
    );
    expect(web.scheduling).toEqual({
      topologyRules: [
        { kind: 'anti-affinity', topologyKey: 'kubernetes.io/hostname' },
        {
          kind: 'spread',
          topologyKey: 'topology.kubernetes.io/zone',
          maxSkew: 1,
          minDomains: 3,
          perRevision: true,
        },
      ],
      softSpread: [{ topologyKey: 'kubernetes.io/hostname', maxSkew: 2 }],
      preferredAntiAffinity: [{ weight: 10, topologyKey: 'topology.kubernetes.io/zone' }],
    });
    expect(text).toContain('topologySpreadConstraints[2] (a labelSelector other than its own pods)');
    expect(text).toContain('topologySpreadConstraints[3] (topologyKey example.com/rack)');
    expect(text).toContain('nodeAffinity');
  });

  it('the imported anti-affinity is simulated: three replicas on two nodes leave one Pending', () => {
    const { s } = load(
      deployment(
        '      affinity:\n        podAntiAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n' +
          '            - { topologyKey: kubernetes.io/hostname, labelSelector: { matchLabels: { app: web } } }\n',
      ),
    );
    const two = { ...s, cluster: { ...s.cluster, nodePools: [{ ...s.cluster.nodePools[0]!, count: 2 }] } };
    const p = place(two, 'none');
    const web = p.byOwner.get('shop/web')!.map((i) => p.pods[i]!.node);
    expect(web.filter((n) => n >= 0).length).toBe(2);
    expect(new Set(web.filter((n) => n >= 0)).size).toBe(2);
    expect(p.unschedulable.map((u) => u.reason)).toEqual([
      "0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules.",
    ]);
  });

  it('a selector that does not match its own labels, or other namespaces, is not imported', () => {
    const { web, text } = load(
      deployment(
        '      affinity:\n        podAntiAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n' +
          '            - { topologyKey: kubernetes.io/hostname, labelSelector: { matchExpressions: [{ key: app, operator: NotIn, values: [web] }] } }\n' +
          '            - { topologyKey: kubernetes.io/hostname, namespaces: [other], labelSelector: { matchLabels: { app: web } } }\n',
      ),
    );
    expect(web.scheduling).toBeUndefined();
    expect(text).toContain('required podAntiAffinity[0] (a labelSelector other than its own pods)');
    expect(text).toContain('required podAntiAffinity[1] (namespaces)');
  });
});
