// A Service's spec.trafficDistribution and spec.internalTrafficPolicy are imported as the service's own
// (replication/locality.ts simulates both); the values of Kubernetes 1.34 bring the cluster version that
// accepts them.
import { describe, expect, it } from 'vitest';
import { importScenario, parseManifests } from '../../src/import/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';

const app = (name: string, distribution: string) =>
  `apiVersion: v1\nkind: Service\nmetadata: { name: ${name}, namespace: shop }\nspec:\n  selector: { app: ${name} }\n  trafficDistribution: ${distribution}\n  ports: [{ port: 80, name: http }]\n---\n` +
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: ${name}, namespace: shop }\nspec:\n  replicas: 2\n  selector: { matchLabels: { app: ${name} } }\n` +
  `  template:\n    metadata: { labels: { app: ${name} } }\n    spec:\n      containers: [{ name: c, image: x }]\n`;

function load(...parts: string[]) {
  const { manifests } = parseManifests(parts.join('---\n'), 'shop.yaml');
  const r = importScenario(manifests, { sources: ['shop.yaml'] });
  return { r, s: parseScenario(r.text, 'shop.yaml') };
}

describe('import of trafficDistribution', () => {
  it('keeps PreferClose on the default Kubernetes version', () => {
    const { s } = load(app('api', 'PreferClose'));
    expect(s.services.find((x) => x.name === 'api')?.trafficDistribution).toBe('PreferClose');
    expect(s.cluster.kubernetesVersion).toBe('1.33');
  });

  it('keeps PreferSameNode and names Kubernetes 1.34, which accepts it', () => {
    const { r, s } = load(app('api', 'PreferSameNode'), app('web', 'PreferClose'));
    expect(s.services.find((x) => x.name === 'api')?.trafficDistribution).toBe('PreferSameNode');
    expect(s.cluster.kubernetesVersion).toBe('1.34');
    expect(r.text).toContain('PreferSameZone or PreferSameNode');
  });

  it('notes a value it does not know instead of inventing one', () => {
    const { r, s } = load(app('api', 'PreferSomewhere'));
    expect(s.services.find((x) => x.name === 'api')?.trafficDistribution).toBeUndefined();
    expect(r.text).toContain('read, not representable: trafficDistribution PreferSomewhere');
  });
});

describe('import of internalTrafficPolicy', () => {
  const policy = (name: string, itp: string) =>
    app(name, 'PreferClose').replace(
      '  trafficDistribution: PreferClose\n',
      `  internalTrafficPolicy: ${itp}\n`,
    );

  it('keeps Local, and leaves Cluster (the default) unset', () => {
    const { s } = load(policy('agent', 'Local'), policy('api', 'Cluster'));
    expect(s.services.find((x) => x.name === 'agent')?.internalTrafficPolicy).toBe('Local');
    expect(s.services.find((x) => x.name === 'api')?.internalTrafficPolicy).toBeUndefined();
  });
});

describe('import of a headless Service (clusterIP: None)', () => {
  const headless = (name: string, distribution: string) =>
    app(name, distribution).replace('spec:\n  selector:', 'spec:\n  clusterIP: None\n  selector:');

  it('becomes headless: true, its trafficDistribution read and left (DNS names every ready pod)', () => {
    const { r, s } = load(headless('db', 'PreferClose'), app('api', 'PreferClose'));
    const db = s.services.find((x) => x.name === 'db')!;
    expect(db.headless).toBe(true);
    expect(db.trafficDistribution).toBeUndefined();
    expect(r.text).toContain(
      'read, ignored on a headless Service (DNS names every ready pod): trafficDistribution PreferClose',
    );
    expect(s.services.find((x) => x.name === 'api')!.headless).toBeUndefined();
  });
});
