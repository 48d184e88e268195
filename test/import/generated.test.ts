// Generated manifests of every supported kind: whatever mix of them, the import gives a scenario the
// loader accepts, keeps every pod, and lists every object it read or ignored.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importScenario, parseManifests, USED_KINDS } from '../../src/import/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';

interface App {
  name: string;
  kind: 'Deployment' | 'StatefulSet';
  replicas: number;
  requests: boolean;
  hpa: boolean;
  pdb: boolean;
}

const app = fc.record({
  kind: fc.constantFrom('Deployment' as const, 'StatefulSet' as const),
  replicas: fc.integer({ min: 1, max: 4 }),
  requests: fc.boolean(),
  hpa: fc.boolean(),
  pdb: fc.boolean(),
});

function manifests(
  mode: string,
  apps: App[],
  extras: { waypoint: boolean; daemonSet: boolean; ignored: boolean; istioIngress: boolean },
): string {
  const docs: string[] = [];
  const label =
    mode === 'ambient'
      ? 'istio.io/dataplane-mode: ambient'
      : mode === 'sidecar'
        ? 'istio-injection: enabled'
        : 'team: x';
  docs.push(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: gen\n  labels:\n    ${label}\n`);
  if (extras.waypoint)
    docs.push(
      'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: wp\n  namespace: gen\nspec:\n  gatewayClassName: istio-waypoint\n',
    );
  // The ingress: a Gateway API Gateway of class istio and an HTTPRoute, or Istio's own Gateway (HTTPS),
  // a VirtualService bound to it and the istio-ingressgateway Deployment it selects.
  if (extras.istioIngress)
    docs.push(
      'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: ingress\n  namespace: gen\nspec:\n  selector: { istio: ingressgateway }\n  servers: [{ port: { number: 443, name: https, protocol: HTTPS }, hosts: ["*"] }]\n',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: istio-ingressgateway\n  namespace: istio-system\nspec:\n  replicas: 2\n  selector:\n    matchLabels: { istio: ingressgateway }\n  template:\n    metadata:\n      labels: { istio: ingressgateway }\n    spec:\n      containers: [{ name: istio-proxy, image: proxyv2 }]\n',
    );
  else
    docs.push(
      'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: ingress\n  namespace: gen\nspec:\n  gatewayClassName: istio\n',
    );
  for (const a of apps) {
    const res = a.requests
      ? '\n          resources:\n            requests: { cpu: 250m, memory: 128Mi }\n            limits: { cpu: "1", memory: 256Mi }'
      : '';
    docs.push(
      `apiVersion: apps/v1\nkind: ${a.kind}\nmetadata:\n  name: ${a.name}\n  namespace: gen\nspec:\n  replicas: ${a.replicas}\n  selector:\n    matchLabels: { app: ${a.name} }\n` +
        `  template:\n    metadata:\n      labels: { app: ${a.name} }\n      annotations: { sidecar.istio.io/proxyCPU: 200m }\n    spec:\n      terminationGracePeriodSeconds: 45\n` +
        `      initContainers:\n        - name: init\n          image: busybox\n      containers:\n        - name: main\n          image: x/${a.name}\n          env:\n            - name: NEXT\n              value: http://${apps[0]!.name}:8080${res}\n          readinessProbe:\n            tcpSocket: { port: 8080 }\n`,
    );
    docs.push(
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${a.name}\n  namespace: gen${extras.waypoint ? '\n  labels: { istio.io/use-waypoint: wp }' : ''}\nspec:\n  selector: { app: ${a.name} }\n  trafficDistribution: PreferClose\n  ports: [{ port: 8080, appProtocol: http }]\n`,
    );
    docs.push(
      `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: ${a.name}\n  namespace: gen\nspec:\n  hosts: [${a.name}]\n  http:\n    - timeout: 3s\n      retries: { attempts: 1 }\n      route: [{ destination: { host: ${a.name} } }]\n`,
    );
    docs.push(
      `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: ${a.name}\n  namespace: gen\nspec:\n  host: ${a.name}\n  subsets: [{ name: v1, labels: { app: ${a.name} } }]\n`,
    );
    if (a.hpa)
      docs.push(
        `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: ${a.name}\n  namespace: gen\nspec:\n  scaleTargetRef: { apiVersion: apps/v1, kind: ${a.kind}, name: ${a.name} }\n  minReplicas: 1\n  maxReplicas: 10\n`,
      );
    if (a.pdb)
      docs.push(
        `apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: ${a.name}\n  namespace: gen\nspec:\n  minAvailable: 1\n  selector:\n    matchLabels: { app: ${a.name} }\n`,
      );
  }
  docs.push(
    extras.istioIngress
      ? `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: in\n  namespace: gen\nspec:\n  hosts: [shop.example.com]\n  gateways: [ingress]\n  http:\n    - timeout: 4s\n      route: [{ destination: { host: ${apps[0]!.name} } }]\n`
      : `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: in\n  namespace: gen\nspec:\n  parentRefs: [{ name: ingress }]\n  rules: [{ backendRefs: [{ name: ${apps[0]!.name}, port: 8080 }] }]\n`,
  );
  docs.push(
    'apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n  name: default\n  namespace: gen\nspec:\n  egress: [{ hosts: ["./*"] }]\n',
  );
  docs.push(
    'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: get\n  namespace: gen\nspec:\n  rules: [{ to: [{ operation: { methods: [GET] } }] }]\n',
  );
  docs.push(
    'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: strict\n  namespace: gen\nspec:\n  mtls: { mode: STRICT }\n',
  );
  docs.push(
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: np\n  namespace: gen\nspec:\n  podSelector: {}\n  ingress: [{}]\n',
  );
  if (extras.daemonSet)
    docs.push(
      'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\n  namespace: gen\nspec:\n  selector:\n    matchLabels: { app: agent }\n  template:\n    metadata:\n      labels: { app: agent }\n    spec:\n      containers: [{ name: a, image: x/agent }]\n',
    );
  if (extras.ignored)
    docs.push('apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa\n  namespace: gen\n');
  return docs.join('---\n');
}

const scenarioInput = fc.record({
  mode: fc.constantFrom('none', 'sidecar', 'ambient'),
  apps: fc.uniqueArray(app, {
    minLength: 1,
    maxLength: 4,
    selector: (a) => `${a.kind}${a.replicas}${a.requests}${a.hpa}${a.pdb}`,
  }),
  waypoint: fc.boolean(),
  daemonSet: fc.boolean(),
  ignored: fc.boolean(),
  istioIngress: fc.boolean(),
});

describe('import of generated manifests of every supported kind', () => {
  it('always loads, keeps every pod, lists every object read or ignored', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(scenarioInput, ({ mode, apps: raw, ...extras }) => {
        const apps = raw.map((a, i) => ({ ...a, name: `app-${i}` }));
        const text = manifests(mode, apps, extras);
        const { manifests: ms, issues } = parseManifests(text, 'gen.yaml');
        expect(issues).toEqual([]);
        const r = importScenario(ms, { sources: ['gen.yaml'], inferCalls: true });
        const s = parseScenario(r.text, 'gen-scenario.yaml');
        // Every pod of every Deployment and StatefulSet, in a service of the same name.
        for (const a of apps) expect(s.services.find((x) => x.name === a.name)?.replicas).toBe(a.replicas);
        // An HPA becomes the service's autoscaling where the controller can run it: on a Deployment.
        for (const a of apps)
          expect(s.services.find((x) => x.name === a.name)?.autoscaling?.maxReplicas).toBe(
            a.hpa && a.kind === 'Deployment' ? 10 : undefined,
          );
        expect(s.services.reduce((n, x) => n + x.replicas, 0)).toBe(apps.reduce((n, a) => n + a.replicas, 0));
        // Every kind the generator wrote is in the header, as read or as ignored.
        const kinds = new Set(ms.map((m) => m.kind));
        for (const k of kinds) expect(r.text).toMatch(new RegExp(`(Read|Ignored)[^\\n]*\\b${k} \\d+`));
        expect(kinds.size).toBeGreaterThanOrEqual(11);
        for (const k of kinds) seen.add(k);
        expect([...kinds].filter((k) => !(USED_KINDS as readonly string[]).includes(k))).toEqual(
          extras.ignored ? ['ServiceAccount'] : [],
        );
        // Read values: the namespace mode, the waypoint binding, the routes' timeout and retries on the entry point.
        expect(s.namespaces.find((n) => n.name === 'gen')?.mode).toBe(mode);
        if (extras.waypoint) expect(s.services.every((x) => x.useWaypoint === 'wp')).toBe(true);
        // The entry comes through the ingress Gateway, whose Envoy has the routes bound to it (the HTTPRoute:
        // no timeout; the VirtualService bound to Istio's Gateway: 4 s; no retry: Istio's default 2), not the
        // mesh's VirtualService; the L7 authorization policy still needs L7 at the callee. Istio's Gateway
        // listens on HTTPS only: its clients' TLS ends there.
        expect(s.traffic.map((t) => [t.to, t.via, t.timeout, t.retries, t.l7, t.tls])).toEqual([
          [
            'gen/app-0',
            'ingress',
            extras.istioIngress ? 4 : Number.POSITIVE_INFINITY,
            2,
            true,
            extras.istioIngress ? true : undefined,
          ],
        ]);
        // The gateway is its proxy's Deployment, which is not an application service.
        expect([
          s.mesh.ingressGateway.namespace,
          s.mesh.ingressGateway.name,
          s.mesh.ingressGateway.replicas,
        ]).toEqual(
          extras.istioIngress ? ['istio-system', 'istio-ingressgateway', 2] : ['gen', 'ingress-istio', 1],
        );
        expect(s.lifecycle.terminationGrace).toBe(45);
        for (const a of apps.filter((x) => x.requests))
          expect(s.services.find((x) => x.name === a.name)?.resources.limits?.cpu).toBe(1);
        if (extras.daemonSet) expect(r.text).toContain('DaemonSet gen/agent');
        // The sidecar resource annotation carries over as the service's own sidecar request.
        for (const a of apps)
          expect(s.services.find((x) => x.name === a.name)?.sidecarResources).toEqual({
            requests: { cpu: 0.2, memory: 0 },
          });
        // Every Service prefers close endpoints, as its manifest says.
        expect(s.services.every((x) => x.trafficDistribution === 'PreferClose')).toBe(true);
        // The namespace's Sidecar resource, its egress hosts as written.
        expect(s.services.every((x) => JSON.stringify(x.sidecarScope) === '["./*"]')).toBe(true);
      }),
      { numRuns: 25, seed: 7 },
    );
    // Over the runs, every kind the issue lists was generated.
    const listed = [
      'Namespace',
      'Deployment',
      'StatefulSet',
      'DaemonSet',
      'Service',
      'Gateway',
      'HTTPRoute',
      'VirtualService',
      'DestinationRule',
      'Sidecar',
      'AuthorizationPolicy',
      'PeerAuthentication',
      'NetworkPolicy',
      'HorizontalPodAutoscaler',
      'PodDisruptionBudget',
    ];
    expect(listed.filter((k) => !seen.has(k))).toEqual([]);
  });
});
