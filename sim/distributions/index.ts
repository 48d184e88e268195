export { constant, exponential, uniform } from './basic.ts';
export type { Distribution } from './distribution.ts';
export { empirical } from './empirical.ts';
export {
  lognormal,
  lognormalFromMeanP99,
  lognormalFromMedianP99,
  lognormalParams,
  lognormalSample,
} from './lognormal.ts';
export { normal, standardNormalSample } from './normal.ts';
export { normalQuantile } from './normal-quantile.ts';
export { boundedPareto } from './pareto.ts';
