// The scenario FILE format (the raw input side); normalise/ turns its output into a Scenario.
import { z } from 'zod';
import { cluster } from './cluster.ts';
import { distribution } from './distribution.ts';
import { event } from './events.ts';
import { dnsName, duration, int, list, MAX, num, obj, oneOf, positiveDuration } from './fields.ts';
import { mesh } from './mesh.ts';
import { entryPoint, namespace, service, waypoint } from './workload.ts';

export const ARCHITECTURES = ['none', 'sidecar', 'ambient', 'as-labelled'] as const;

export const scenarioFile = obj({
  apiVersion: oneOf(['meshsim/v1alpha1']),
  kind: oneOf(['Scenario']),
  metadata: obj({ name: dnsName(), description: z.string({ error: 'a string' }).optional() }),
  cluster,
  namespaces: list(namespace).optional(),
  waypoints: list(waypoint).optional(),
  services: list(service, 1),
  traffic: list(entryPoint, 1),
  mesh: mesh.optional(),
  compare: list(oneOf(ARCHITECTURES), 1).optional(),
  simulation: obj({
    duration: positiveDuration().optional(),
    warmup: z.union([z.literal('auto'), duration()], { error: "a duration or 'auto'" }).optional(),
    seed: int(0, MAX.seed).optional(),
    replications: int(1, 100).optional(),
    precision: obj({
      relative: num(0, 1, true).optional(),
      absolute: duration().optional(),
      maxReplications: int(2, 100).optional(),
    }).optional(),
    timeStep: positiveDuration().optional(),
    cpuSlice: duration().optional(),
  }).optional(),
  lifecycle: obj({
    podStartup: distribution().optional(),
    terminationGrace: duration().optional(),
    sidecarDrain: duration().optional(),
    ztunnelDrain: duration().optional(),
    reconnectBackoff: distribution().optional(),
    preStop: duration().optional(),
    proxyRestart: duration().optional(),
    sidecarStartup: duration().optional(),
    endpointPropagation: obj({
      kubeProxy: duration().optional(),
      envoy: duration().optional(),
      ztunnel: duration().optional(),
    }).optional(),
  }).optional(),
  events: list(event).optional(),
  cost: obj({
    crossZonePerGiB: num(0, MAX.pricePerHour).optional(),
    perProxyFeePerHour: num(0, MAX.pricePerHour).optional(),
    discount: num(0, 1, true).optional(),
  }).optional(),
});

export type RawScenario = z.output<typeof scenarioFile>;
