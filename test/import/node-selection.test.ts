// A workload's nodeSelector and tolerations are imported when the cluster can honour them: the pools
// made from Node objects keep the labels nodeSelectors name and the nodes' taints (nodes.ts), so pods
// land where their manifests send them; without a node carrying the labels the selector stays a comment.
import { describe, expect, it } from 'vitest';
import { place } from '../../src/cluster/index.ts';
import { importScenario, parseManifests } from '../../src/import/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';

const node = (name: string, labels: string, taints = '') =>
  `apiVersion: v1\nkind: Node\nmetadata:\n  name: ${name}\n` +
  `  labels: { node.kubernetes.io/instance-type: m5.xlarge, topology.kubernetes.io/zone: us-east-1a${labels} }\n` +
  (taints ? `spec:\n  taints: [${taints}]\n` : '') +
  'status:\n  capacity: { cpu: "4", memory: 16Gi, pods: "110" }\n';

const app = (name: string, podSpec: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: ${name}, namespace: shop }\nspec:\n  replicas: 2\n` +
  `  selector: { matchLabels: { app: ${name} } }\n  template:\n    metadata: { labels: { app: ${name} } }\n` +
  `    spec:\n${podSpec}      containers: [{ name: main, image: x/${name}, resources: { requests: { cpu: 100m, memory: 64Mi } } }]\n` +
  `---\napiVersion: v1\nkind: Service\nmetadata: { name: ${name}, namespace: shop }\nspec:\n  selector: { app: ${name} }\n  ports: [{ port: 80 }]\n`;

function load(docs: string[]) {
  const { manifests, issues } = parseManifests(docs.join('---\n'), 'm.yaml');
  expect(issues).toEqual([]);
  const r = importScenario(manifests, { sources: ['m.yaml'] });
  return { text: r.text, s: parseScenario(r.text, 's.yaml') };
}

describe('import of nodeSelector, tolerations and node taints', () => {
  it('pools keep the selected labels and the taints; pods go where their manifests send them', () => {
    const { s } = load([
      node('a', ', workload: batch'),
      node('b', ', workload: web'),
      node('c', ', workload: web'),
      node('d', ', workload: gpu', '{ key: nvidia.com/gpu, value: "true", effect: NoSchedule }'),
      app('web', '      nodeSelector: { workload: web }\n'),
      app(
        'trainer',
        '      nodeSelector: { workload: gpu }\n' +
          '      tolerations: [{ key: nvidia.com/gpu, operator: Exists, effect: NoSchedule, tolerationSeconds: 30 }]\n',
      ),
      app('report', ''),
    ]);
    expect(s.cluster.nodePools.map((p) => [p.count, p.labels ?? {}, p.taints ?? []])).toEqual([
      [1, { workload: 'batch' }, []],
      [1, { workload: 'gpu' }, [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }]],
      [2, { workload: 'web' }, []],
    ]);
    const trainer = s.services.find((x) => x.name === 'trainer')!;
    expect(trainer.scheduling).toEqual({
      nodeSelector: { workload: 'gpu' },
      tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
    });
    const p = place(s, 'none');
    const poolOf = (owner: string) =>
      p.byOwner.get(owner)!.map((i) => p.nodes[p.pods[i]!.node]!.labels?.workload ?? '?');
    expect(poolOf('shop/web')).toEqual(['web', 'web']);
    expect(poolOf('shop/trainer')).toEqual(['gpu', 'gpu']);
    // report has no toleration: the GPU node's NoSchedule taint keeps it off
    expect(poolOf('shop/report').every((w) => w !== 'gpu')).toBe(true);
  });

  it('node affinity: required terms a node meets and preferences are imported, matchFields is not', () => {
    const { s, text } = load([
      node('a', ', kubernetes.io/arch: amd64'),
      node('b', ', kubernetes.io/arch: arm64'),
      app(
        'web',
        '      affinity:\n        nodeAffinity:\n' +
          '          requiredDuringSchedulingIgnoredDuringExecution:\n' +
          '            nodeSelectorTerms: [{ matchExpressions: [{ key: kubernetes.io/arch, operator: In, values: [arm64] }] }]\n' +
          '          preferredDuringSchedulingIgnoredDuringExecution:\n' +
          '            - { weight: 10, preference: { matchExpressions: [{ key: topology.kubernetes.io/zone, operator: Exists }] } }\n' +
          '            - { weight: 10, preference: { matchFields: [{ key: metadata.name, operator: In, values: [a] }] } }\n',
      ),
      app(
        'old',
        '      affinity:\n        nodeAffinity:\n' +
          '          requiredDuringSchedulingIgnoredDuringExecution:\n' +
          '            nodeSelectorTerms: [{ matchExpressions: [{ key: kubernetes.io/arch, operator: In, values: [s390x] }] }]\n',
      ),
    ]);
    const web = s.services.find((x) => x.name === 'web')!;
    expect(web.scheduling?.nodeAffinity).toEqual({
      required: [{ matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }] }],
      preferred: [
        { weight: 10, matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'Exists' }] },
      ],
    });
    expect(text).toContain('preferred nodeAffinity[1]');
    expect(s.services.find((x) => x.name === 'old')!.scheduling).toBeUndefined();
    expect(text).toContain('old: required nodeAffinity met by no node the import knows, not simulated');
    const p = place(s, 'none');
    const arch = p.byOwner
      .get('shop/web')!
      .map((i) => p.nodes[p.pods[i]!.node]!.labels['kubernetes.io/arch']);
    expect(arch).toEqual(['arm64', 'arm64']);
  });

  it('without a node carrying its labels a nodeSelector stays a comment', () => {
    const { s, text } = load([app('web', '      nodeSelector: { workload: web }\n')]);
    expect(s.services[0]!.scheduling).toBeUndefined();
    expect(text).toContain('nodeSelector workload=web (no node the import knows carries these labels');
  });

  it('required node affinity is kept only when a node meets it together with the nodeSelector', () => {
    // Node a is amd64 in the web pool, b arm64 in the batch pool: each term alone is met, both at once
    // by no node, and kube-scheduler would leave the pods Pending. The selector is kept, the affinity
    // is a note.
    const spec = (arch: string) =>
      '      nodeSelector: { workload: web }\n' +
      '      affinity:\n        nodeAffinity:\n' +
      '          requiredDuringSchedulingIgnoredDuringExecution:\n' +
      `            nodeSelectorTerms: [{ matchExpressions: [{ key: kubernetes.io/arch, operator: In, values: [${arch}] }] }]\n`;
    const { s, text } = load([
      node('a', ', workload: web, kubernetes.io/arch: amd64'),
      node('b', ', workload: batch, kubernetes.io/arch: arm64'),
      app('web', spec('arm64')),
      app('api', spec('amd64')),
    ]);
    const web = s.services.find((x) => x.name === 'web')!;
    expect(web.scheduling?.nodeSelector).toEqual({ workload: 'web' });
    expect(web.scheduling?.nodeAffinity).toBeUndefined();
    expect(text).toContain(
      'web: required nodeAffinity met by no node its nodeSelector selects, not simulated',
    );
    // api's terms meet on node a: both kept, and its pods land there.
    const api = s.services.find((x) => x.name === 'api')!;
    expect(api.scheduling?.nodeAffinity?.required).toHaveLength(1);
    const p = place(s, 'none');
    expect(p.byOwner.get('shop/api')!.map((i) => p.nodes[p.pods[i]!.node]!.labels.workload)).toEqual([
      'web',
      'web',
    ]);
  });
});
