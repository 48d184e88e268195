export { buildWorld, lbPerRequest, templateFor } from './build.ts';
export {
  ConnType,
  type Edge,
  type HopStep,
  type RouteTemplate,
  type ServiceRt,
  type World,
} from './types.ts';
