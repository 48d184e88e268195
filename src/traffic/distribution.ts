// Builds the kernel's samplers from the scenario's distribution specs.
import {
  boundedPareto,
  constant,
  type Distribution,
  empirical,
  exponential,
  lognormal,
  lognormalFromMeanP99,
  lognormalFromMedianP99,
  normal,
  uniform,
} from '../../sim/index.ts';
import type { DistributionSpec } from '../scenario/index.ts';

export function makeDistribution(spec: DistributionSpec): Distribution {
  switch (spec.kind) {
    case 'constant':
      return constant(spec.value);
    case 'uniform':
      return uniform(spec.min, spec.max);
    case 'exponential':
      return exponential(spec.mean);
    case 'normal':
      return normal(spec.mean, spec.sd);
    case 'lognormal':
      return lognormal(spec.mu, spec.sigma);
    case 'lognormal-mean-p99':
      return lognormalFromMeanP99(spec.mean, spec.p99);
    case 'lognormal-median-p99':
      return lognormalFromMedianP99(spec.median, spec.p99);
    case 'pareto':
      return boundedPareto(spec.alpha, spec.min, spec.max);
    case 'empirical':
      return empirical(spec.table);
  }
}
