// Entry points: where requests enter, at what rate, resolved to a service key.

import { DEFAULT_CLIENT_CPU } from '../assumptions.ts';
import type { Problems } from '../pending.ts';
import type { RawScenario } from '../schema/index.ts';
import type { DataplaneMode, EntryPoint, Namespace, Service } from '../types.ts';
import { mergeResources } from './merge.ts';
import type { ServiceIndex } from './resolve.ts';
import { normaliseScheduling } from './scheduling.ts';
import { call } from './services.ts';
import { normaliseRoutes } from './versions.ts';
import { normaliseWire } from './wire.ts';

type RawEntry = RawScenario['traffic'][number];

/** A load generator requests nothing unless its clientPod says so (as Bookinfo's sample pods). */
const NO_REQUESTS = { requests: { cpu: 0, memory: 0 } };

function rateOf(raw: RawEntry, at: PropertyKey[], problems: Problems): number {
  if (raw.closedLoop) {
    // A closed loop's load is what its connections get answered; its only rate is the cap.
    if (raw.rate !== undefined)
      problems.add([...at, 'rate'], 'no rate with closedLoop (use closedLoop.rateCap)', { atKey: true });
    if (raw.arrival !== undefined)
      problems.add([...at, 'arrival'], 'no arrival with closedLoop (its connections pace themselves)', {
        atKey: true,
      });
    return raw.closedLoop.rateCap ?? 0;
  }
  if (raw.arrival?.kind === 'ramp') {
    if (raw.rate !== undefined && raw.rate !== raw.arrival.from) {
      problems.add([...at, 'rate'], 'no rate with a ramp (the ramp starts at its `from` rate)', {
        atKey: true,
      });
    }
    return raw.arrival.from;
  }
  if (raw.rate === undefined)
    problems.add([...at, 'rate'], 'a rate such as 300/s (or arrival: { ramp: ... })');
  return raw.rate ?? 0;
}

/**
 * A load generator in a declared namespace is meshed as its labels say (istio-injection: enabled, a
 * sidecar; istio.io/dataplane-mode: ambient, captured by ztunnel), exactly as that namespace's services
 * are (cluster/modes.ts maps a labelled mode onto each architecture the same way for both); an explicit
 * `clientMode` overrides the labels. Without either the client is outside the mesh.
 */
function clientModeOf(
  raw: RawEntry,
  at: PropertyKey[],
  namespaces: readonly Namespace[],
  problems: Problems,
): DataplaneMode | 'same-as-target' {
  const name = raw.clientPod?.namespace;
  if (name === undefined) return raw.clientMode ?? 'none';
  const ns = namespaces.find((n) => n.name === name);
  if (!ns) {
    problems.add([...at, 'clientPod', 'namespace'], 'a declared namespace (or one a service is in)', {
      candidates: namespaces.map((n) => n.name),
    });
  }
  return raw.clientMode ?? ns?.mode ?? 'none';
}

function entry(
  raw: RawEntry,
  at: PropertyKey[],
  index: ServiceIndex,
  problems: Problems,
  services: readonly Service[],
  namespaces: readonly Namespace[],
): EntryPoint {
  const target = index.resolve(raw.to);
  if ('expected' in target) problems.add([...at, 'to'], target.expected, { candidates: target.candidates });
  const out: EntryPoint = {
    name: raw.name,
    to: 'key' in target ? target.key : raw.to,
    rate: rateOf(raw, at, problems),
    arrival: structuredClone(raw.arrival ?? { kind: 'poisson' }),
    ...(raw.closedLoop ? { closedLoop: structuredClone(raw.closedLoop) } : {}),
    ...normaliseWire(raw),
    via: raw.via,
    ...(raw.tls ? { tls: true as const } : {}),
    clients: raw.clients,
    clientMode: clientModeOf(raw, at, namespaces, problems),
    clientCpu: {
      perRequest: raw.clientPod?.cpuPerRequest ?? DEFAULT_CLIENT_CPU.perRequest,
      perConnection: raw.clientPod?.cpuPerConnection ?? DEFAULT_CLIENT_CPU.perConnection,
      threads: raw.clientPod?.threads ?? DEFAULT_CLIENT_CPU.threads,
    },
  };
  // meshsim models TLS an application terminates nowhere but at the ingress gateway's Envoy.
  if (raw.tls && raw.via !== 'ingress') problems.add([...at, 'tls'], 'false unless via: ingress');
  if (raw.clientPod) {
    const scheduling = normaliseScheduling(raw.clientPod);
    out.clientPod = {
      ...(raw.clientPod.resources ? { resources: mergeResources(NO_REQUESTS, raw.clientPod.resources) } : {}),
      ...(raw.clientPod.namespace !== undefined ? { namespace: raw.clientPod.namespace } : {}),
      ...scheduling,
    };
  }
  if (raw.routes) {
    // The target's pods serve them: its namespace resolves short names, its service time is the default.
    const svc = 'key' in target ? services.find((x) => x.key === target.key) : undefined;
    const ctx = { index, problems, from: svc?.namespace ?? 'default', call };
    out.routes = normaliseRoutes(raw.routes, [...at, 'routes'], ctx, svc?.serviceTime);
  }
  if (raw.slo) out.slo = Object.fromEntries(Object.entries(raw.slo).filter(([, v]) => v !== undefined));
  return out;
}

export function normaliseTraffic(
  raw: RawScenario,
  index: ServiceIndex,
  problems: Problems,
  services: readonly Service[] = [],
  namespaces: readonly Namespace[] = [],
): EntryPoint[] {
  const seen = new Set<string>();
  return raw.traffic.map((e, i) => {
    const at = ['traffic', i];
    if (seen.has(e.name)) problems.add([...at, 'name'], 'an entry point name not used before');
    seen.add(e.name);
    return entry(e, at, index, problems, services, namespaces);
  });
}
