// Raw (schema-checked) file -> Scenario: defaults filled, references resolved and cross-checked.

import { DEFAULT_KUBELET, DEFAULT_LIFECYCLE, DEFAULT_PRECISION, DEFAULT_SIMULATION } from '../assumptions.ts';
import { crossZoneDefault } from '../cross-zone.ts';
import { Problems } from '../pending.ts';
import type { RawScenario } from '../schema/index.ts';
import { trafficDistributionSince } from '../traffic-distribution.ts';
import type { Architecture, Scenario } from '../types.ts';
import { DEFAULT_KUBERNETES_VERSION } from '../version.ts';
import { normaliseNetwork, normalisePools } from './cluster.ts';
import { checkCycles, checkEntryCycles } from './cycles.ts';
import { normaliseDaemonSets } from './daemon-sets.ts';
import { normaliseEvents } from './events.ts';
import { overlay } from './merge.ts';
import { normaliseMesh } from './mesh.ts';
import { checkNamespaceWaypoints, normaliseNamespaces, normaliseWaypoints } from './namespaces.ts';
import { ServiceIndex } from './resolve.ts';
import { normaliseServices, serviceKey } from './services.ts';
import { normaliseTraffic } from './traffic.ts';
import { checkVisibility } from './visibility-check.ts';

const DEFAULT_COMPARE: Architecture[] = ['none', 'sidecar', 'ambient'];

function compare(raw: RawScenario['compare'], problems: Problems): Architecture[] {
  const list = raw ?? DEFAULT_COMPARE;
  list.forEach((a, i) => {
    if (list.indexOf(a) !== i) problems.add(['compare', i], 'an architecture not listed before');
  });
  return [...list];
}

export function normalise(raw: RawScenario): { scenario: Scenario; problems: Problems } {
  const problems = new Problems();
  const cost = {
    crossZonePerGiB:
      raw.cost?.crossZonePerGiB ?? crossZoneDefault(raw.cluster.nodePools.map((p) => p.instanceType)),
    perProxyFeePerHour: raw.cost?.perProxyFeePerHour ?? 0,
    discount: raw.cost?.discount ?? 0,
  };
  const { warmup: rawWarmup, precision, ...fixed } = raw.simulation ?? {};
  const simulation: Scenario['simulation'] = overlay(DEFAULT_SIMULATION, fixed);
  // `auto`: the pilot replication measures from 0; MSER-5 picks the warm-up used (simulate).
  if (rawWarmup === 'auto') {
    simulation.warmupAuto = true;
    simulation.warmup = 0;
  } else if (rawWarmup !== undefined) simulation.warmup = rawWarmup;
  if (precision) simulation.precision = overlay(DEFAULT_PRECISION, precision);
  if (simulation.warmup >= simulation.duration) {
    const path = raw.simulation?.warmup !== undefined ? ['simulation', 'warmup'] : ['simulation', 'duration'];
    problems.add(
      path,
      `a warmup shorter than the duration (warmup ${simulation.warmup}s, duration ${simulation.duration}s)`,
    );
  }
  const mesh = normaliseMesh(raw.mesh, problems);
  const kubernetesVersion = raw.cluster.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
  const nodePools = normalisePools(raw.cluster, cost.discount, problems);
  const daemonSets = normaliseDaemonSets(raw.cluster, problems);
  const namespaces = normaliseNamespaces(raw, problems);
  const waypoints = normaliseWaypoints(raw, namespaces, mesh, problems);
  checkNamespaceWaypoints(raw, waypoints, problems);
  const index = new ServiceIndex(
    raw.services.map((s) => ({ key: serviceKey(s), name: s.name, namespace: s.namespace })),
  );
  const services = normaliseServices(raw, { index, waypoints, mesh, problems });
  checkTrafficDistribution(raw, kubernetesVersion, problems);
  checkCycles(services, problems);
  const traffic = normaliseTraffic(raw, index, problems, services, namespaces);
  checkEntryCycles(services, traffic, problems);
  const events = normaliseEvents(raw.events, {
    index,
    namespaces: namespaces.map((n) => n.name),
    waypoints: waypoints.map((w) => w.name),
    gateway: {
      name: mesh.ingressGateway.name,
      owner: `${mesh.ingressGateway.namespace}/${mesh.ingressGateway.name}`,
      used: traffic.some((e) => e.via === 'ingress'),
    },
    pools: nodePools,
    duration: simulation.duration,
    problems,
    meshVersion: mesh.version,
    kubernetesVersion,
  });
  const scenario: Scenario = {
    apiVersion: raw.apiVersion,
    kind: raw.kind,
    metadata: { name: raw.metadata.name, description: raw.metadata.description ?? '' },
    cluster: {
      nodePools,
      network: normaliseNetwork(raw.cluster.network),
      kubernetesVersion,
      ...(raw.cluster.domain !== undefined ? { domain: raw.cluster.domain } : {}),
      ...(raw.cluster.cni
        ? {
            cni: {
              name: raw.cluster.cni.name,
              ...(raw.cluster.cni.platform ? { platform: raw.cluster.cni.platform } : {}),
              settings: raw.cluster.cni.settings ?? {},
            },
          }
        : {}),
      ...(raw.cluster.scheduler?.percentageOfNodesToScore !== undefined
        ? { scheduler: { percentageOfNodesToScore: raw.cluster.scheduler.percentageOfNodesToScore } }
        : {}),
      ...(raw.cluster.kubelet ? { kubelet: overlay(DEFAULT_KUBELET, raw.cluster.kubelet) } : {}),
      ...(daemonSets ? { daemonSets } : {}),
    },
    namespaces,
    waypoints,
    services,
    traffic,
    mesh,
    compare: compare(raw.compare, problems),
    simulation,
    lifecycle: {
      ...overlay(DEFAULT_LIFECYCLE, { ...raw.lifecycle, endpointPropagation: undefined }),
      endpointPropagation: overlay(DEFAULT_LIFECYCLE.endpointPropagation, raw.lifecycle?.endpointPropagation),
    },
    events,
    cost,
  };
  checkVisibility(scenario, problems);
  return { scenario, problems };
}

/** The API server of `kubernetesVersion` rejects a trafficDistribution value newer than it. */
function checkTrafficDistribution(raw: RawScenario, kubernetesVersion: string, problems: Problems): void {
  const minor = (v: string) => Number(v.split('.')[1]);
  raw.services.forEach((svc, i) => {
    const d = svc.trafficDistribution;
    const since = d === undefined ? null : trafficDistributionSince(d);
    if (d !== undefined && since !== null && minor(kubernetesVersion) < minor(since))
      problems.add(
        ['services', i, 'trafficDistribution'],
        `PreferClose under Kubernetes ${kubernetesVersion} (${d} needs cluster.kubernetesVersion ${since} or later)`,
      );
  });
}
