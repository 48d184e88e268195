export { type ProxyClass, proxyClasses, SIDECAR, WAYPOINT, ZTUNNEL } from './classes.ts';
export { Attach, type HopStep, type RouteTemplate, Upstream } from './hops.ts';
export { type ControlPlaneLoad, type ControlPlaneUsage, istiodUsage } from './istiod.ts';
export { type ProxyConfigSize, proxyMemory } from './memory.ts';
export { buildTemplates, EndpointKind, ProtocolClass, protocolClass, templateIndex } from './route.ts';
export { atLeast, compareVersions, minorsBetween } from './version.ts';
