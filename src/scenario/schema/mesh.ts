// Mesh overrides: every field optional and merged field by field over DEFAULT_MESH.
import { autoscaling, istiodAutoscaling } from './autoscaling.ts';
import { distribution } from './distribution.ts';
import { bool, cpu, dnsName, duration, int, list, MAX, memory, num, obj, oneOf, rate } from './fields.ts';
import { schedulingFields } from './scheduling.ts';
import { exportToEntry, sidecarScope } from './sidecar-scope.ts';
import { trafficPolicy } from './traffic-policy.ts';
import { meshVersion } from './version.ts';
import { resourceSpec } from './workload.ts';

const cost = () =>
  obj({
    cpuPerRequest: duration().optional(),
    cpuPerKiB: duration().optional(),
    cpuPerHandshake: duration().optional(),
    cpuPerConnection: duration().optional(),
    cpuPerOpenConnection: num(0).optional(),
    cpuOnPath: num(0, 1).optional(),
    criticalPath: distribution().optional(),
    criticalPathPerKiB: duration().optional(),
    handshakeLatency: duration().optional(),
    memoryBase: memory().optional(),
    memoryPerCluster: memory().optional(),
    memoryPerEndpoint: memory().optional(),
    memoryPerWorkload: memory().optional(),
    memoryPerService: memory().optional(),
    memoryPerConnection: memory().optional(),
    memoryPerListener: memory().optional(),
  });

export const mesh = obj({
  version: meshVersion().optional(),
  sidecar: obj({
    resources: resourceSpec().optional(),
    workers: int(1, MAX.workers).optional(),
    scope: sidecarScope().optional(),
    cost: cost().optional(),
  }).optional(),
  ztunnel: obj({
    resources: resourceSpec().optional(),
    workers: int(1, MAX.workers).optional(),
    hbonePoolStreams: int(1, MAX.connections).optional(),
    cost: cost().optional(),
  }).optional(),
  waypoint: obj({
    defaults: obj({
      replicas: int(0, MAX.replicas).optional(),
      resources: resourceSpec().optional(),
      workers: int(1, MAX.workers).optional(),
    }).optional(),
    cost: cost().optional(),
  }).optional(),
  idle: obj({
    envoyBaseCpu: num(0).optional(),
    envoyCpuPerCluster: num(0).optional(),
    envoyPushCpu: duration().optional(),
    envoyPushCpuPerCluster: duration().optional(),
    envoyPushCpuPerEndpoint: duration().optional(),
    ztunnelBaseCpu: num(0).optional(),
    ztunnelCpuPerUpdate: duration().optional(),
    ztunnelMemoryPerLocalWorkload: memory().optional(),
  }).optional(),
  trafficPolicy: trafficPolicy.optional(),
  // meshConfig.h2UpgradePolicy (istio.io/api mesh/v1alpha1/config.proto; unset: DO_NOT_UPGRADE).
  h2UpgradePolicy: oneOf(['DO_NOT_UPGRADE', 'UPGRADE']).optional(),
  // meshConfig.defaultServiceExportTo (istio.io/api mesh/v1alpha1/config.proto; unset: every namespace).
  defaultServiceExportTo: list(exportToEntry(), 1).optional(),
  // mtls.mode of a root-namespace PeerAuthentication without a selector (unset: PERMISSIVE).
  mtls: oneOf(['STRICT', 'PERMISSIVE', 'DISABLE']).optional(),
  // meshConfig.outboundTrafficPolicy.mode (istio.io/api mesh/v1alpha1/config.proto; unset: ALLOW_ANY).
  outboundTrafficPolicy: oneOf(['ALLOW_ANY', 'REGISTRY_ONLY']).optional(),
  ingressGateway: obj({
    name: dnsName().optional(),
    namespace: dnsName().optional(),
    replicas: int(1, MAX.replicas).optional(),
    resources: resourceSpec().optional(),
    workers: int(1, MAX.workers).optional(),
    cost: cost().optional(),
    autoscaling: autoscaling.optional(),
    ...schedulingFields,
  }).optional(),
  istioCni: obj({
    resources: resourceSpec().optional(),
    enabledInSidecarMode: bool().optional(),
    usage: obj({
      cpuBase: cpu().optional(),
      cpuPerPod: cpu().optional(),
      memoryBase: memory().optional(),
      memoryPerPod: memory().optional(),
    }).optional(),
  }).optional(),
  istiod: obj({
    replicas: int(1, MAX.replicas).optional(),
    resources: resourceSpec().optional(),
    memoryBase: memory().optional(),
    memoryPerService: memory().optional(),
    memoryPerPod: memory().optional(),
    memoryPerConfig: memory().optional(),
    memoryPerProxy: memory().optional(),
    memoryMin: memory().optional(),
    cpuPerPush: duration().optional(),
    configChangesPerSecond: rate().optional(),
    configObjectChangesPerSecond: rate().optional(),
    debounceAfter: duration().optional(),
    debounceMax: duration().optional(),
    autoscaling: istiodAutoscaling.optional(),
  }).optional(),
});
