// --infer-calls proposals from env vars and args, and the calls' protocol from the Service port.
import { describe, expect, it } from 'vitest';
import { importScenario, parseManifests } from '../../src/import/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';

function svc(name: string, port: string) {
  return `apiVersion: v1\nkind: Service\nmetadata: { name: ${name}, namespace: shop }\nspec:\n  selector: { app: ${name} }\n  ports: [${port}]\n`;
}
function dep(name: string, env: Record<string, string> = {}, args: string[] = []) {
  const e = Object.entries(env)
    .map(([k, v]) => `{ name: ${k}, value: "${v}" }`)
    .join(', ');
  return (
    `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: ${name}, namespace: shop }\nspec:\n  selector: { matchLabels: { app: ${name} } }\n` +
    `  template:\n    metadata: { labels: { app: ${name} } }\n    spec:\n      containers: [{ name: c, image: x, env: [${e}], args: ${JSON.stringify(args)} }]\n`
  );
}

const TEXT = [
  svc('frontend', '{ port: 80, name: http-web }'),
  dep('frontend', {
    CART_SERVICE_ADDR: 'cartservice:7070',
    PRODUCT_URL: 'http://catalog.shop.svc.cluster.local:8080/api',
    OTHER: 'example.com:443',
  }),
  svc('cartservice', '{ port: 7070, name: grpc }'),
  dep('cartservice', {}, ['--redis', 'redis-cart:6379']),
  svc('catalog', '{ port: 8080, appProtocol: kubernetes.io/h2c }'),
  dep('catalog'),
  svc('redis-cart', '{ port: 6379, name: tcp-redis }'),
  dep('redis-cart'),
].join('---\n');

describe('--infer-calls', () => {
  it('proposes a call for host:port and URLs naming a Service, and nothing for other hosts', () => {
    const { manifests } = parseManifests(TEXT, 'shop.yaml');
    const r = importScenario(manifests, { sources: ['shop.yaml'], inferCalls: true });
    const proposals = r.text.split('\n').filter((l) => l.includes('--infer-calls proposes'));
    expect(proposals.map((l) => /to: ([\w.-]+) \}\]\s+# (\S+)/.exec(l)?.slice(1))).toEqual([
      ['redis-cart.shop', 'cartservice/c'],
      ['cartservice.shop', 'frontend/c'],
      ['catalog.shop', 'frontend/c'],
    ]);
    expect(r.text).not.toContain('example.com');
    // Proposals are comments: no call is applied.
    expect(parseScenario(r.text, 's.yaml').services.every((s) => s.calls.length === 0)).toBe(true);
  });
});

describe('protocol of calls', () => {
  it('follows the port name prefix or appProtocol of the callee Service', () => {
    const { manifests } = parseManifests(TEXT, 'shop.yaml');
    const overlay = {
      file: 'calls.yaml',
      data: {
        services: [
          { name: 'frontend', calls: [{ to: 'cartservice' }, { to: 'catalog' }] },
          { name: 'cartservice', calls: [{ to: 'redis-cart' }] },
        ],
        traffic: [{ name: 'web', to: 'frontend.shop', rate: '10/s' }],
      },
      locate: () => ({}),
    };
    const s = parseScenario(importScenario(manifests, { sources: ['shop.yaml'], overlay }).text, 's.yaml');
    const calls = s.services.flatMap((x) => x.calls.map((c) => [x.name, c.to, c.protocol]));
    expect(calls).toEqual([
      ['cartservice', 'shop/redis-cart', 'tcp'],
      ['frontend', 'shop/cartservice', 'grpc'],
      ['frontend', 'shop/catalog', 'http2'],
    ]);
    expect(s.traffic[0]!.protocol).toBe('http1');
  });
});
