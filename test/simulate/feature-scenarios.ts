// Random scenarios that combine what the simulator models beyond the core of property.test.ts: traffic
// policies (outlier detection, balancers, circuit breakers, idle timeouts, TLS modes), mTLS modes,
// exportTo and REGISTRY_ONLY (passthrough and refusals), versions, routes, per-try timeouts and retryOn,
// autoscaling, an ingress entry point (TLS to the gateway, an autoscaled gateway, its upgrades, faults
// and scaling), and disruption events (upgrades, faults, scale, migrate), headless services, HPAs on one container. Drawn from one seed, so a
// failing case is named by it.
import seedrandom from 'seedrandom';

const LABELS = [{}, { 'istio-injection': 'enabled' }, { 'istio.io/dataplane-mode': 'ambient' }];
const MTLS = ['STRICT', 'PERMISSIVE', 'DISABLE'];
type Json = Record<string, unknown>;

export interface Draw {
  pick<T>(xs: readonly T[]): T;
  maybe(p: number): boolean;
}

function draw(seed: number): Draw {
  const r = seedrandom(`features-${seed}`);
  return { pick: (xs) => xs[Math.floor(r() * xs.length)]!, maybe: (p) => r() < p };
}

function trafficPolicy({ pick, maybe }: Draw): Json {
  const t: Json = {};
  if (maybe(0.4))
    t.outlierDetection = {
      consecutive5xxErrors: pick([1, 2, 5]),
      interval: pick(['100ms', '1s']),
      baseEjectionTime: pick(['200ms', '1s']),
      maxEjectionPercent: pick([10, 50, 100]),
    };
  if (maybe(0.4))
    t.loadBalancer = pick([
      { simple: 'ROUND_ROBIN' },
      { simple: 'RANDOM' },
      { consistentHash: { useSourceIp: true } },
      { consistentHash: { httpHeaderName: 'x-user' } },
      { localityLbSetting: { enabled: false } },
    ]);
  if (maybe(0.4))
    t.connectionPool = {
      tcp: { maxConnections: pick([1, 2, 10]), ...(maybe(0.3) ? { idleTimeout: '50ms' } : {}) },
      http: {
        http1MaxPendingRequests: pick([1, 5]),
        http2MaxRequests: pick([1, 3, 100]),
        ...(maybe(0.3) ? { maxRequestsPerConnection: pick([1, 3]) } : {}),
        ...(maybe(0.2) ? { h2UpgradePolicy: 'UPGRADE' } : {}),
        ...(maybe(0.2) ? { maxRetries: 1 } : {}),
      },
    };
  if (maybe(0.2)) t.tls = { mode: pick(['DISABLE', 'ISTIO_MUTUAL']) };
  return t;
}

function call(d: Draw, to: string): Json {
  const { pick, maybe } = d;
  return {
    to,
    ...(maybe(0.3) ? { count: pick([0.5, 2]) } : {}),
    ...(maybe(0.3) ? { mode: 'parallel' } : {}),
    ...(maybe(0.4) ? { protocol: pick(['http1', 'http2', 'grpc', 'tcp']) } : {}),
    ...(maybe(0.3)
      ? { connection: pick(['per-request', 'long-lived', { type: 'keepalive', poolSize: 2 }]) }
      : {}),
    ...(maybe(0.3) ? { l7: true } : {}),
    ...(maybe(0.3) ? { timeout: pick(['5ms', '50ms']) } : {}),
    ...(maybe(0.3) ? { retries: pick([0, 1, 3]) } : {}),
    ...(maybe(0.2) ? { perTryTimeout: '3ms' } : {}),
    ...(maybe(0.2) ? { retryOn: pick([['5xx'], ['reset', 'connect-failure'], ['gateway-error']]) } : {}),
  };
}

function service(d: Draw, i: number, nsOf: string[], waypoint: boolean): Json {
  const { pick, maybe } = d;
  const ns = nsOf[i]!;
  const callees = nsOf.map((_, j) => j).filter((j) => j > i && maybe(0.6));
  const svc: Json = {
    name: `s${i}`,
    namespace: ns,
    resources: { requests: { cpu: '10m', memory: '16Mi' } },
    concurrency: pick([1, 2, 8]),
    serviceTime: pick([
      '1ms',
      { exponential: { mean: '2ms' } },
      { lognormal: { median: '1ms', p99: '8ms' } },
    ]),
    calls: callees.map((j) => call(d, `s${j}.${nsOf[j]}`)),
  };
  if (maybe(0.3))
    svc.versions = [
      { name: 'v1', replicas: pick([1, 2]), weight: pick([1, 3]) },
      {
        name: 'v2',
        replicas: pick([0, 1]),
        weight: 1,
        // A subset's own policy (groups a subset may set beside any service policy).
        ...(maybe(0.4)
          ? {
              trafficPolicy: pick([
                { outlierDetection: { consecutive5xxErrors: 1, maxEjectionPercent: 100 } },
                { loadBalancer: { simple: 'ROUND_ROBIN' } },
              ]),
            }
          : {}),
      },
    ];
  else svc.replicas = i === 0 ? pick([1, 2]) : pick([0, 1, 2]);
  if (maybe(0.3)) svc.trafficPolicy = trafficPolicy(d);
  if (maybe(0.2)) svc.mtls = pick(MTLS);
  if (maybe(0.15)) svc.annotations = { 'networking.istio.io/exportTo': pick(['.', '~', 'a']) };
  if (maybe(0.15)) svc.outboundTrafficPolicy = pick(['ALLOW_ANY', 'REGISTRY_ONLY']);
  if (maybe(0.15)) svc.autoscaling = { maxReplicas: 4, minReplicas: 1, syncPeriod: '200ms' };
  if (waypoint && ns === 'a' && maybe(0.5)) svc.labels = { 'istio.io/use-waypoint': 'wp' };
  if (maybe(0.1))
    svc.routes = [
      { name: 'r1', weight: 1 },
      { name: 'r2', weight: 2, serviceTime: '3ms' },
    ];
  return svc;
}

function events(
  { pick, maybe }: Draw,
  n: number,
  nsOf: string[],
  waypoint: boolean,
  ingress: boolean,
): Json[] {
  const out: Json[] = [];
  if (!maybe(0.5)) return out;
  for (let k = pick([1, 2, 3]); k > 0; k--) {
    const at = pick(['600ms', '800ms', '1s', '1200ms']);
    const svc = `s${pick(Array.from({ length: n }, (_, i) => i))}`;
    out.push(
      pick([
        { at, upgrade: 'dataplane', strategy: pick(['rolling', 'cordon-drain', 'blue-green']) },
        { at, fault: 'sidecar', selector: `${svc}.${nsOf[Number(svc.slice(1))]}`, recovery: '200ms' },
        { at, fault: 'ztunnel', selector: 0, recovery: '200ms' },
        { at, fault: 'node', selector: 0, recovery: '300ms', notReadyAfter: '100ms', evictAfter: '100ms' },
        { at, scale: `s0.${nsOf[0]}`, replicas: pick([0, 1, 3]) },
        { at, migrate: ['a'] },
        { at, upgrade: 'control-plane' },
        ...(ingress
          ? [
              { at, upgrade: 'gateway' },
              { at, fault: 'gateway', selector: 'istio-ingress', recovery: '200ms' },
              { at, scale: 'istio-ingress', replicas: pick([0, 2]) },
            ]
          : []),
        ...(waypoint
          ? [
              { at, upgrade: 'waypoint' },
              { at, fault: 'waypoint', selector: 'wp', recovery: '200ms' },
            ]
          : []),
      ]),
    );
  }
  return out;
}

/** The scenario of `seed`, as JSON text (a YAML subset the loader reads). */
export function featureScenario(seed: number): string {
  const d = draw(seed);
  const { pick, maybe } = d;
  const n = pick([1, 2, 3, 4]);
  const nsOf = Array.from({ length: n }, () => pick(['a', 'b']));
  const waypoint = maybe(0.4);
  const mesh: Json = {};
  if (maybe(0.2)) mesh.mtls = pick(['STRICT', 'PERMISSIVE']);
  if (maybe(0.2)) mesh.outboundTrafficPolicy = pick(['ALLOW_ANY', 'REGISTRY_ONLY']);
  if (maybe(0.2)) mesh.sidecar = { scope: pick(['mesh', 'callees']) };
  if (maybe(0.2)) mesh.trafficPolicy = trafficPolicy(d);
  const ingress = maybe(0.25);
  if (ingress && maybe(0.5))
    mesh.ingressGateway = {
      resources: { requests: { cpu: '50m' } },
      autoscaling: { maxReplicas: pick([2, 3]), targetCPUUtilization: 50 },
    };
  const namespace = (name: string) => ({
    name,
    labels: pick(LABELS),
    ...(maybe(0.15) ? { mtls: pick(MTLS) } : {}),
  });
  const scenario = {
    apiVersion: 'meshsim/v1alpha1',
    kind: 'Scenario',
    metadata: { name: `features-${seed}` },
    cluster: {
      nodePools: [
        {
          name: 'p',
          instanceType: pick(['m5.large', 'm5.xlarge']),
          count: pick([1, 2, 3]),
          zones: ['z1', 'z2'],
        },
      ],
    },
    namespaces: [namespace('a'), namespace('b')],
    waypoints: waypoint ? [{ name: 'wp', namespace: 'a' }] : [],
    services: nsOf.map((_, i) => service(d, i, nsOf, waypoint)),
    traffic: [
      {
        name: 'web',
        to: `s0.${nsOf[0]}`,
        rate: `${pick([20, 400, 3000])}/s`,
        arrival: pick(['poisson', 'constant']),
        clientMode: pick(['none', 'sidecar', 'ambient', 'same-as-target']),
        clients: pick([1, 2]),
        timeout: pick(['100ms', '20ms']),
        ...(ingress ? { via: 'ingress' } : {}),
        ...(ingress && maybe(0.5) ? { tls: true, connection: pick(['per-request', 'keepalive']) } : {}),
      },
    ],
    ...(Object.keys(mesh).length > 0 ? { mesh } : {}),
    events: events(d, n, nsOf, waypoint, ingress),
    compare: ['none', 'sidecar', 'ambient', 'as-labelled'],
    simulation: { duration: '1500ms', warmup: '500ms', seed, replications: 1 },
  };
  // Drawn last, so that every other draw of a seed is as it was before DaemonSets were drawn.
  if (maybe(0.3)) (scenario.cluster as Json).daemonSets = daemonSets(d);
  // A budget on the first service, for the drains of cordon-drain upgrades (one allowing none stalls them).
  if (maybe(0.3))
    (scenario.services[0] as Json).disruptionBudget = pick([
      { maxUnavailable: 1 },
      { minAvailable: '50%' },
      { minAvailable: 2 },
    ]);
  // Headless services, drawn last as well; their version weights, which nothing reads then, dropped.
  for (const svc of scenario.services as Json[])
    if (maybe(0.25)) {
      svc.headless = true;
      for (const v of (svc.versions as Json[] | undefined) ?? []) delete v.weight;
    }
  // An HPA on one container's CPU (istio-proxy fails where a pod has no sidecar).
  for (const svc of scenario.services as Json[])
    if (svc.autoscaling && maybe(0.5))
      (svc.autoscaling as Json).container = pick(['application', 'istio-proxy']);
  return JSON.stringify(scenario, null, 1);
}

/** The platform's DaemonSets: meshed as their namespace says, in the host's network, or in kube-system. */
function daemonSets({ pick, maybe }: Draw): Json[] {
  return [
    {
      name: 'logs',
      namespace: pick(['a', 'b', 'kube-system', 'monitoring']),
      resources: { requests: { cpu: pick(['50m', '200m']), memory: '64Mi' } },
      ...(maybe(0.5) ? { usage: { cpu: pick(['10m', '300m']) } } : {}),
      ...(maybe(0.3) ? { hostNetwork: true } : {}),
      ...(maybe(0.2)
        ? { annotations: { 'sidecar.istio.io/inject': 'false' } }
        : maybe(0.3)
          ? {
              annotations: { 'sidecar.istio.io/proxyCPU': '5m', 'sidecar.istio.io/proxyMemoryLimit': '40Mi' },
            }
          : {}),
      ...(maybe(0.3)
        ? {
            updateStrategy: pick([
              { type: 'OnDelete' },
              { maxUnavailable: '50%' },
              { maxSurge: 1, maxUnavailable: 0 },
            ]),
          }
        : {}),
    },
  ];
}
