// Duration-valued distributions: `2ms` (constant) or exactly one of the keyed forms. Parameter relations
// are checked here so the error points at the parameter that breaks them.
import { z } from 'zod';
import type { DistributionSpec } from '../types.ts';
import { alt, byKey, isPlainObject } from './alt.ts';
import { duration, finiteNum, list, num, obj, positiveDuration, positiveNum } from './fields.ts';

type Ctx = z.core.$RefinementCtx;

function fail(ctx: Ctx, path: PropertyKey[], expected: string): never {
  ctx.addIssue({ code: 'custom', message: expected, path });
  return z.NEVER as never;
}

const constant = obj({ constant: duration() }).transform(
  (v): DistributionSpec => ({ kind: 'constant', value: v.constant }),
);

const uniform = obj({ uniform: obj({ min: duration(), max: duration() }) }).transform(
  ({ uniform: u }, ctx): DistributionSpec =>
    u.max > u.min ? { kind: 'uniform', ...u } : fail(ctx, ['uniform', 'max'], 'a duration greater than min'),
);

const exponential = obj({ exponential: obj({ mean: positiveDuration() }) }).transform(
  (v): DistributionSpec => ({ kind: 'exponential', mean: v.exponential.mean }),
);

const normal = obj({ normal: obj({ mean: positiveDuration(), sd: positiveDuration() }) }).transform(
  (v): DistributionSpec => ({ kind: 'normal', ...v.normal }),
);

const LOGNORMAL_FORMS = 'either { mean, p99 }, { median, p99 } or { mu, sigma }';
const lognormalParams = obj({
  mean: positiveDuration().optional(),
  median: positiveDuration().optional(),
  p99: positiveDuration().optional(),
  mu: finiteNum().optional(),
  sigma: positiveNum().optional(),
});

function lognormalSpec(p: z.output<typeof lognormalParams>, ctx: Ctx): DistributionSpec {
  const keys = Object.keys(p)
    .filter((k) => p[k as keyof typeof p] !== undefined)
    .sort()
    .join(',');
  const at = ['lognormal'];
  if (keys === 'mean,p99' && p.mean !== undefined && p.p99 !== undefined) {
    if (p.p99 <= p.mean) return fail(ctx, [...at, 'p99'], 'a duration greater than mean');
    return { kind: 'lognormal-mean-p99', mean: p.mean, p99: p.p99 };
  }
  if (keys === 'median,p99' && p.median !== undefined && p.p99 !== undefined) {
    if (p.p99 <= p.median) return fail(ctx, [...at, 'p99'], 'a duration greater than median');
    return { kind: 'lognormal-median-p99', median: p.median, p99: p.p99 };
  }
  if (keys === 'mu,sigma' && p.mu !== undefined && p.sigma !== undefined) {
    return { kind: 'lognormal', mu: p.mu, sigma: p.sigma };
  }
  return fail(ctx, at, LOGNORMAL_FORMS);
}

const lognormal = obj({ lognormal: lognormalParams }).transform((v, ctx) => lognormalSpec(v.lognormal, ctx));

const pareto = obj({
  pareto: obj({ alpha: positiveNum(), min: positiveDuration(), max: duration() }),
}).transform(
  ({ pareto: p }, ctx): DistributionSpec =>
    p.max > p.min ? { kind: 'pareto', ...p } : fail(ctx, ['pareto', 'max'], 'a duration greater than min'),
);

const EMPIRICAL_ROW = 'a [percentile, duration] pair such as [50, 2ms]';
const empiricalRow = z.tuple([num(0, 100), duration()], { error: EMPIRICAL_ROW });

function empiricalSpec(table: Array<[number, number]>, ctx: Ctx): DistributionSpec {
  const at = (i: number, j: number) => ['empirical', i, j];
  table.forEach(([p, v], i) => {
    const prev = table[i - 1];
    if (prev && p <= prev[0]) fail(ctx, at(i, 0), `a percentile greater than ${prev[0]} (increasing)`);
    if (prev && v < prev[1]) fail(ctx, at(i, 1), 'a duration >= the previous one (non-decreasing)');
  });
  if (table[0]?.[0] !== 0) fail(ctx, at(0, 0), 'the first percentile to be 0');
  const last = table.length - 1;
  if (table[last]?.[0] !== 100) fail(ctx, at(last, 0), 'the last percentile to be 100');
  return { kind: 'empirical', table: table.map(([p, v]) => [p, v]) };
}

const empirical = obj({ empirical: list(empiricalRow, 2) }).transform((v, ctx) =>
  empiricalSpec(v.empirical, ctx),
);

const scalar = duration().transform((value): DistributionSpec => ({ kind: 'constant', value }));

const KEYED = { constant, uniform, exponential, normal, lognormal, pareto, empirical };

const EXPECTED = 'a duration such as 2ms, or a distribution such as { exponential: { mean: 2ms } }';

/** A duration distribution in seconds. */
export function distribution() {
  return alt<DistributionSpec>([scalar, ...Object.values(KEYED)], (v) => {
    if (typeof v === 'string' || typeof v === 'number') return { schema: scalar };
    if (isPlainObject(v)) return byKey(v, KEYED, 'a distribution');
    return { path: [], expected: EXPECTED };
  });
}
