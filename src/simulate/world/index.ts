export { buildWorld, lbPerRequest, templateFor } from './build.ts';
export { ConnType, type Edge, type ServiceRt, type World } from './types.ts';
