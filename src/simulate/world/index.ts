export { buildWorld, lbPerRequest, templateFor } from './build.ts';
export {
  type Behaviour,
  ConnType,
  type Edge,
  type HopStep,
  type Mix,
  type RouteTemplate,
  type ServiceRt,
  type VersionRt,
  type World,
} from './types.ts';
