export { sidecarChurnShare } from './churn-share.ts';
export {
  GATEWAY,
  type ProxyClass,
  proxyClasses,
  SIDECAR,
  WAYPOINT,
  ZTUNNEL,
} from './classes.ts';
export { MESH_COMPONENTS } from './components.ts';
export {
  configSize,
  endpointsSeen,
  heldServices,
  serviceEndpoints,
  sidecarView,
  tcpCallees,
} from './config-size.ts';
export {
  controlPlaneLoad,
  isIstiodProxyPod,
  nodeAgentUsage,
  podsPerNode,
  takesEveryObject,
} from './control-plane.ts';
export { Attach, type HopStep, type RouteTemplate, Upstream } from './hops.ts';
export {
  type EnvoyConfig,
  envoyFullPushCpu,
  envoyIdleCpu,
  IDLE_DEFAULTS,
  type IdleCoefficients,
  waypointMemory,
  withIdleDefaults,
  type ZtunnelHolding,
  ztunnelConnectionBuffers,
  ztunnelIdleCpu,
  ztunnelMemory,
} from './idle.ts';
export { type ControlPlaneLoad, type ControlPlaneUsage, istiodUsage } from './istiod.ts';
export { listenerMemory, type ProxyConfigSize, proxyMemory } from './memory.ts';
export { defaultRetryOn, RetryBit, retryBits } from './retry-policy.ts';
export {
  buildTemplates,
  EndpointKind,
  ingressUsesWaypoint,
  ProtocolClass,
  protocolClass,
  serviceIngressWaypoint,
  templateIndex,
} from './route.ts';
export { atLeast, compareVersions, minorsBetween } from './version.ts';
export { waypointPrefersClose } from './waypoint-locality.ts';
export {
  type ConcurrencySettings,
  configuredConcurrency,
  downwardCpuLimit,
  type EnvoyProxy,
  envoyWorkers,
  type ZtunnelProxy,
  ztunnelWorkers,
} from './workers.ts';
