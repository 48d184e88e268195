import { DEFAULT_MESH } from '../defaults.ts';
import type { IngressGateway } from '../ingress-gateway.ts';
import type { Problems } from '../pending.ts';
import type { RawScenario } from '../schema/index.ts';
import type { MeshSettings } from '../types.ts';
import { normaliseAutoscaling, normaliseIstiodAutoscaling } from './autoscaling.ts';
import { mergeResources, overlay } from './merge.ts';
import { normaliseScheduling } from './scheduling.ts';
import { normaliseTrafficPolicy } from './traffic-policy.ts';

export function normaliseMesh(raw: RawScenario['mesh'], problems: Problems): MeshSettings {
  const d = DEFAULT_MESH;
  const {
    version,
    sidecar,
    ztunnel,
    waypoint,
    ingressGateway: gw,
    istioCni,
    istiod,
    trafficPolicy,
    idle,
    h2UpgradePolicy,
    defaultServiceExportTo: exportTo,
    mtls,
    outboundTrafficPolicy,
  } = raw ?? {};
  const gatewayResources = mergeResources(d.ingressGateway.resources, gw?.resources);
  return {
    version: version ?? d.version,
    ...(h2UpgradePolicy === 'UPGRADE' ? { h2UpgradePolicy } : {}),
    ...(mtls ? { mtls } : {}),
    ...(outboundTrafficPolicy === 'REGISTRY_ONLY' ? { outboundTrafficPolicy } : {}),
    // Kept only when it narrows Istio's default (every namespace; `.` wins over `*`, scenario/visibility.ts),
    // so scenarios without it hash as before.
    ...(exportTo && (exportTo.includes('.') || !exportTo.includes('*'))
      ? { defaultServiceExportTo: [...exportTo] }
      : {}),
    sidecar: {
      resources: mergeResources(d.sidecar.resources, sidecar?.resources),
      ...(sidecar?.workers !== undefined && { workers: sidecar.workers }),
      scope: structuredClone(sidecar?.scope ?? d.sidecar.scope),
      cost: overlay(d.sidecar.cost, sidecar?.cost),
    },
    ztunnel: {
      resources: mergeResources(d.ztunnel.resources, ztunnel?.resources),
      ...(ztunnel?.workers !== undefined && { workers: ztunnel.workers }),
      cost: overlay(d.ztunnel.cost, ztunnel?.cost),
      hbonePoolStreams: ztunnel?.hbonePoolStreams ?? d.ztunnel.hbonePoolStreams,
    },
    waypoint: {
      cost: overlay(d.waypoint.cost, waypoint?.cost),
      defaults: {
        replicas: waypoint?.defaults?.replicas ?? d.waypoint.defaults.replicas,
        resources: mergeResources(d.waypoint.defaults.resources, waypoint?.defaults?.resources),
        ...(waypoint?.defaults?.workers !== undefined && { workers: waypoint.defaults.workers }),
      },
    },
    // Only what the scenario sets: the defaults and their sources live in src/mesh/idle.ts.
    idle: Object.fromEntries(Object.entries(idle ?? {}).filter(([, v]) => v !== undefined)),
    ingressGateway: {
      name: gw?.name ?? d.ingressGateway.name,
      namespace: gw?.namespace ?? d.ingressGateway.namespace,
      replicas: gw?.replicas ?? d.ingressGateway.replicas,
      resources: gatewayResources,
      ...(gw?.workers !== undefined ? { workers: gw.workers } : {}),
      cost: overlay(d.ingressGateway.cost, gw?.cost),
      ...gatewayAutoscaling(gw, problems),
      ...gatewayScheduling(gw),
    },
    ...(trafficPolicy ? { trafficPolicy: normaliseTrafficPolicy(trafficPolicy) } : {}),
    istioCni: {
      resources: mergeResources(d.istioCni.resources, istioCni?.resources),
      enabledInSidecarMode: istioCni?.enabledInSidecarMode ?? d.istioCni.enabledInSidecarMode,
      usage: overlay(d.istioCni.usage, istioCni?.usage),
    },
    istiod: {
      ...overlay(d.istiod, { ...istiod, resources: undefined, autoscaling: undefined }),
      resources: mergeResources(d.istiod.resources, istiod?.resources),
      autoscaling: normaliseIstiodAutoscaling(istiod?.autoscaling, problems),
    },
  };
}

function gatewayScheduling(gw: NonNullable<RawScenario['mesh']>['ingressGateway']): {
  scheduling?: IngressGateway['scheduling'];
} {
  const scheduling = gw ? normaliseScheduling(gw) : undefined;
  return scheduling ? { scheduling } : {};
}

function gatewayAutoscaling(
  gw: NonNullable<RawScenario['mesh']>['ingressGateway'],
  problems: Problems,
): Pick<IngressGateway, 'autoscaling'> {
  const a = normaliseAutoscaling(gw?.autoscaling, ['mesh', 'ingressGateway', 'autoscaling'], problems);
  return a ? { autoscaling: a } : {};
}
