export { buildWorld, lbPerRequest, templateFor } from './build.ts';
export {
  type Behaviour,
  ConnType,
  type Edge,
  ENVOY_MTLS,
  ENVOY_MTLS_REFUSED,
  ENVOY_PLAIN,
  type HopStep,
  type Mix,
  type RouteTemplate,
  type ServiceRt,
  type VersionRt,
  type World,
} from './types.ts';
