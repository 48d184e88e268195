// Namespaces, waypoints, services and their calls, and the entry points that drive them.

import type { z } from 'zod';
import { RETRY_ON } from '../retry-on.ts';
import { TRAFFIC_DISTRIBUTIONS } from '../traffic-distribution.ts';
import { alt, isPlainObject } from './alt.ts';
import { autoscaling, serviceAutoscaling } from './autoscaling.ts';
import { connection } from './connection.ts';
import { distribution } from './distribution.ts';
import {
  bool,
  cpu,
  dnsName,
  duration,
  int,
  intOrPercent,
  list,
  MAX,
  memory,
  num,
  obj,
  oneOf,
  positiveDuration,
  positiveRate,
  rate,
  size,
  str,
  stringMap,
} from './fields.ts';
import { schedulingFields } from './scheduling.ts';
import { sidecarScope } from './sidecar-scope.ts';
import { trafficPolicy } from './traffic-policy.ts';

const resources = () => obj({ cpu: cpu().optional(), memory: memory().optional() });

/** requests / limits, each field optional: merged over the applicable defaults. */
export const resourceSpec = () => obj({ requests: resources().optional(), limits: resources().optional() });

// A PeerAuthentication's mtls.mode (istio.io/api security/v1beta1/peer_authentication.proto).
const mtls = () => oneOf(['STRICT', 'PERMISSIVE', 'DISABLE']).optional();

export const namespace = obj({ name: dnsName(), labels: stringMap().optional(), mtls: mtls() });

export const waypoint = obj({
  name: dnsName(),
  namespace: dnsName(),
  for: oneOf(['service', 'workload', 'all']).default('service'),
  replicas: int(0, MAX.replicas).optional(),
  resources: resourceSpec().optional(),
  workers: int(1, MAX.workers).optional(),
  autoscaling: autoscaling.optional(),
});

/** Fields a call and an entry point share: what travels on the wire and how failures are handled. */
const wire = {
  protocol: oneOf(['http1', 'http2', 'grpc', 'tcp']).default('http1'),
  requestSize: size().optional(),
  responseSize: size().optional(),
  l7: bool().default(false),
  connection: connection().optional(),
  timeout: duration().optional(),
  perTryTimeout: duration().optional(),
  retryBackoff: positiveDuration().optional(),
  retries: int(0, MAX.retries).optional(),
  retryOn: list(oneOf(RETRY_ON)).optional(),
};

export const call = obj({
  to: str(),
  count: num(0, MAX.callsPerRequest).optional(),
  probability: num(0, 1).optional(),
  mode: oneOf(['sequential', 'parallel']).default('sequential'),
  ...wire,
});

/**
 * One request type of a service or an entry point (a shop's home, product, cart, checkout): how often it
 * is drawn, and its own service time and calls in place of the service's.
 */
export const route = obj({
  name: dnsName(),
  weight: num(0, MAX.weight),
  serviceTime: distribution().optional(),
  calls: list(call).optional(),
});

/**
 * One version behind the service's name (a Deployment whose pods carry a `version` label the Service
 * selector does not): its replicas, its own resources, service time and calls when they differ, and the
 * weight a VirtualService gives its subset.
 */
export const serviceVersion = obj({
  name: dnsName(),
  replicas: int(0, MAX.replicas).default(1),
  weight: num(0, MAX.weight).optional(),
  resources: resourceSpec().optional(),
  serviceTime: distribution().optional(),
  calls: list(call).optional(),
  // Its DestinationRule subset's trafficPolicy (normalise/subset-policy.ts).
  trafficPolicy: trafficPolicy.optional(),
});

export const service = obj({
  name: dnsName(),
  namespace: dnsName().default('default'),
  replicas: int(0, MAX.replicas).optional(),
  versions: list(serviceVersion, 1).optional(),
  routes: list(route, 1).optional(),
  resources: resourceSpec().optional(),
  concurrency: int(1, MAX.concurrency).optional(),
  serviceTime: distribution().optional(),
  cpuFraction: num(0, 1).optional(),
  labels: stringMap().optional(),
  annotations: stringMap().optional(),
  sidecarPods: int(0, MAX.replicas).default(0),
  sidecarScope: sidecarScope().optional(),
  // Its Sidecar resource's outboundTrafficPolicy.mode (istio.io/api networking/v1alpha3/sidecar.proto).
  outboundTrafficPolicy: oneOf(['ALLOW_ANY', 'REGISTRY_ONLY']).optional(),
  /** A PodDisruptionBudget over its pods (policy/v1): one of minAvailable, maxUnavailable. */
  disruptionBudget: obj({
    minAvailable: intOrPercent().optional(),
    maxUnavailable: intOrPercent().optional(),
  }).optional(),
  calls: list(call).optional(),
  trafficDistribution: oneOf(TRAFFIC_DISTRIBUTIONS).optional(),
  internalTrafficPolicy: oneOf(['Cluster', 'Local']).optional(),
  headless: bool()
    .meta({
      description:
        'the Service has no ClusterIP (clusterIP: None): callers resolve its pods in DNS and connect to one of them',
    })
    .optional(),
  trafficPolicy: trafficPolicy.optional(),
  mtls: mtls(),
  autoscaling: serviceAutoscaling.optional(),
  ...schedulingFields,
});

const ramp = obj({ ramp: obj({ from: rate(), to: rate() }) });
const arrivalKind = oneOf(['poisson', 'constant']);

const arrival = () =>
  alt<{ kind: 'poisson' } | { kind: 'constant' } | { kind: 'ramp'; from: number; to: number }>(
    [arrivalKind, ramp],
    (v) => {
      if (typeof v === 'string') return { schema: arrivalKind.transform((kind) => ({ kind })) };
      if (isPlainObject(v)) return { schema: ramp.transform((r) => ({ kind: 'ramp' as const, ...r.ramp })) };
      return { path: [], expected: 'poisson, constant, or { ramp: { from: 100/s, to: 500/s } }' };
    },
  );

// A closed loop: each connection sends its next request when the previous one returned (fortio -c/-qps,
// wrk2 -c/-R, oha -c/-q, Locust users with wait_time).
const closedLoop = obj({
  connections: int(1, MAX.connections),
  thinkTime: distribution().optional(),
  rateCap: positiveRate().optional(),
});

export const entryPoint = obj({
  name: dnsName(),
  to: str(),
  rate: positiveRate().optional(),
  arrival: arrival().optional(),
  closedLoop: closedLoop.optional(),
  ...wire,
  via: oneOf(['direct', 'ingress']).default('direct'),
  tls: bool()
    .meta({
      description:
        "with via: ingress, the clients' connections to the gateway are TLS the gateway terminates (an HTTPS listener): a handshake at the gateway per new client connection",
    })
    .default(false),
  clients: int(1, MAX.connections).default(1),
  // No default here: absent, the client pod's namespace labels decide (normalise/traffic.ts).
  clientMode: oneOf(['none', 'sidecar', 'ambient', 'same-as-target'])
    .meta({
      description:
        'how the load generators are meshed (default: as clientPod.namespace is labelled, else none)',
    })
    .optional(),
  clientPod: obj({
    resources: resourceSpec().optional(),
    namespace: str()
      .meta({
        description:
          'a declared namespace the load generators run in, meshed as its labels say (default: loadgen, unlabelled); clientMode overrides',
      })
      .optional(),
    cpuPerRequest: described(
      duration(),
      'CPU time the load generator spends per request (default 50us, an assumption), e.g. 50us',
    ).optional(),
    cpuPerConnection: described(
      duration(),
      'CPU time the load generator spends per connection it opens (default 20us, an assumption), e.g. 20us',
    ).optional(),
    threads: int(1, MAX.connections)
      .meta({ description: "an open-loop generator's threads per pod (default 2, wrk2's -t)" })
      .optional(),
    ...schedulingFields,
  }).optional(),
  routes: list(route, 1).optional(),
  slo: obj({
    p50: duration().optional(),
    p99: duration().optional(),
    p999: duration().optional(),
  }).optional(),
});

/** A unit field whose JSON Schema description says what it is for, its pattern kept. */
function described<T extends z.ZodType>(schema: T, description: string): T {
  const meta = schema.meta() ?? {};
  return schema.meta({ ...meta, description: `${description} (${String(meta.description ?? '')})` });
}
