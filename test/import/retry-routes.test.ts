// A route's retry policy reaches the calls to its service (import/routing.ts): a VirtualService's
// retries (attempts, perTryTimeout, retryOn with its status codes) and an HTTPRoute's retry stanza and
// backend timeout, as istiod translates them.
import { describe, expect, it } from 'vitest';
import { importScenario, parseManifests } from '../../src/import/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { app } from './app-manifests.ts';

const base = `${app('shop', 'api')}---
apiVersion: apps/v1
kind: Deployment
metadata: { name: gen, namespace: shop }
spec:
  replicas: 1
  selector: { matchLabels: { app: gen } }
  template:
    metadata: { labels: { app: gen } }
    spec:
      containers: [{ name: c, image: fortio/fortio, args: [load, -qps, "100", "http://api.shop/"] }]
`;

function entry(route: string) {
  const { manifests } = parseManifests(`${base}---\n${route}`, 'shop.yaml');
  const r = importScenario(manifests, { sources: ['shop.yaml'] });
  const s = parseScenario(r.text, 'shop.yaml');
  return { r, t: s.traffic[0]! };
}

describe('import of route retry policies', () => {
  it('VirtualService: attempts, perTryTimeout, retryOn (a 503 code as retriable-status-codes, the rest noted)', () => {
    const { r, t } = entry(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: api, namespace: shop }
spec:
  hosts: [api]
  http:
    - route: [{ destination: { host: api } }]
      retries: { attempts: 3, perTryTimeout: 2s, backoff: 100ms, retryOn: "5xx,connect-failure,503,429,deadline-exceeded" }
`);
    expect([t.retries, t.perTryTimeout, t.retryBackoff, t.retryOn]).toEqual([
      3,
      2,
      0.1,
      ['5xx', 'connect-failure', 'retriable-status-codes'],
    ]);
    expect(r.text).toContain('retryOn 429, deadline-exceeded: not modelled');
  });

  it("HTTPRoute: a retry stanza's conditions and backendRequest as each attempt's timeout", () => {
    const { t } = entry(`apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: api, namespace: shop }
spec:
  parentRefs: [{ kind: Service, group: "", name: api }]
  rules:
    - backendRefs: [{ name: api, port: 80 }]
      retry: { codes: [503] }
      timeouts: { request: 3s, backendRequest: 500ms }
`);
    expect([t.retries, t.perTryTimeout, t.timeout, t.retryOn]).toEqual([
      2,
      0.5,
      3,
      ['connect-failure', 'refused-stream', 'unavailable', 'cancelled', 'retriable-status-codes'],
    ]);
  });

  it('HTTPRoute without a retry stanza: backendRequest is the timeout', () => {
    const { t } = entry(`apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: api, namespace: shop }
spec:
  parentRefs: [{ kind: Service, group: "", name: api }]
  rules:
    - backendRefs: [{ name: api, port: 80 }]
      timeouts: { request: 3s, backendRequest: 800ms }
`);
    expect([t.timeout, t.perTryTimeout, t.retries]).toEqual([0.8, Number.POSITIVE_INFINITY, 2]);
  });
});
