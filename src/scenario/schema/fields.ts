// Leaf schemas. Each carries the human text of what it expects, so every zod issue it raises already
// reads "expected an integer >= 1" rather than zod's generic wording; units are parsed here, inside the
// schema, so a bad quantity is reported at its own line and column.
import { z } from 'zod';
import {
  parseCpu,
  parseDuration,
  parseIntOrPercent,
  parseMemory,
  parseRate,
  parseSize,
  UNIT_EXPECTED,
  UNIT_PATTERNS,
  UnitError,
} from '../units.ts';

/**
 * Upper bounds of counts, so that every accepted scenario is one the model can represent. Kubernetes'
 * supported scale (https://kubernetes.io/docs/setup/best-practices/cluster-large/: 5,000 nodes, 150,000
 * pods); the rest are ASSUMPTIONS far above any real workload.
 */
export const MAX = {
  nodes: 5_000,
  replicas: 150_000,
  podsPerNode: 1_000,
  callsPerRequest: 1_000,
  retries: 100,
  workers: 1_024,
  concurrency: 1_000_000,
  connections: 1_000_000,
  deployments: 10_000,
  seed: 2 ** 32 - 1,
  pricePerHour: 1e6,
  /** Relative weight of a version or a route (VirtualService weights are percentages; any scale is kept). */
  weight: 1e6,
} as const;

/** Marks the message of an unknown-field issue; the allowed keys follow, for did-you-mean. */
export const KEYS_MARK = '\u0000keys:';

export function obj<T extends z.core.$ZodLooseShape>(shape: T, what = 'a map') {
  const keys = Object.keys(shape).join(',');
  return z.strictObject(shape, {
    error: (iss) => (iss.code === 'unrecognized_keys' ? KEYS_MARK + keys : what),
  });
}

type UnitKind = keyof typeof UNIT_PATTERNS;

function unit<T>(kind: UnitKind, parse: (v: string | number) => T, expected: string = UNIT_EXPECTED[kind]) {
  return z
    .union([z.string(), z.number()], { error: expected })
    .transform((v, ctx): T => {
      try {
        return parse(v);
      } catch (e) {
        // A value past the kind's bound says so; any other failure gets the field's own wording.
        const bound = e instanceof UnitError && e.expected.includes(', at most ');
        ctx.addIssue({
          code: 'custom',
          message: bound ? `${expected}, at most ${e.expected.split(', at most ')[1]}` : expected,
        });
        return z.NEVER;
      }
    })
    .meta({ description: expected, pattern: UNIT_PATTERNS[kind] });
}

/** A quantity that must also be strictly positive (a mean, a time step). */
function positive(kind: UnitKind, parse: (v: string | number) => number) {
  const expected = `${UNIT_EXPECTED[kind]}, greater than 0`;
  return unit(
    kind,
    (v) => {
      const n = parse(v);
      if (n <= 0) throw new Error('not positive');
      return n;
    },
    expected,
  );
}

export const cpu = () => unit('cpu', parseCpu);
export const memory = () => unit('memory', parseMemory);
export const duration = () => unit('duration', parseDuration);
export const positiveDuration = () => positive('duration', parseDuration);
/** A duration from `min` to `max` seconds, inclusive (a setting its component accepts only in a range). */
export function durationWithin(min: number, max: number, range: string) {
  return unit(
    'duration',
    (v) => {
      const n = parseDuration(v);
      if (!(n >= min && n <= max)) throw new Error('out of range');
      return n;
    },
    `${UNIT_EXPECTED.duration}, ${range}`,
  );
}
export const size = () => unit('size', parseSize);
export const rate = () => unit('rate', parseRate);
export const positiveRate = () => positive('rate', parseRate);
export const intOrPercent = () => unit('intOrPercent', parseIntOrPercent);

export function int(min: number, max?: number) {
  const expected = max === undefined ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
  const s = z.int({ error: expected }).min(min, { error: expected });
  return max === undefined ? s : s.max(max, { error: expected });
}

export function num(min: number, max?: number, maxExclusive = false) {
  const upper = max === undefined ? '' : maxExclusive ? ` and < ${max}` : ` and <= ${max}`;
  const expected = `a number >= ${min}${upper}`;
  const s = z.number({ error: expected }).min(min, { error: expected });
  if (max === undefined) return s;
  return maxExclusive ? s.lt(max, { error: expected }) : s.max(max, { error: expected });
}

export const positiveNum = () => z.number({ error: 'a number > 0' }).gt(0, { error: 'a number > 0' });
export const finiteNum = () => z.number({ error: 'a number' });
export const bool = () => z.boolean({ error: 'true or false' });
export const str = () => z.string({ error: 'a string' }).min(1, { error: 'a non-empty string' });

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_EXPECTED =
  'a name of lowercase letters, digits and -, starting and ending alphanumeric, <= 63 chars';

/** Kubernetes object names (RFC 1123 labels), so a scenario name is also a valid resource name. */
export function dnsName() {
  return z
    .string({ error: DNS_EXPECTED })
    .max(63, { error: DNS_EXPECTED })
    .regex(DNS_LABEL, { error: DNS_EXPECTED });
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `one of: ${values.join(', ')}` });
}

export function list<T extends z.ZodType>(item: T, min = 0) {
  const expected = min > 0 ? `a list with at least ${min} entr${min === 1 ? 'y' : 'ies'}` : 'a list';
  return z.array(item, { error: expected }).min(min, { error: expected });
}

/** Free-form Kubernetes labels / annotations: string to string. */
export function stringMap() {
  return z.record(z.string(), z.string({ error: 'a string (quote values such as "true" or "1")' }), {
    error: 'a map of strings',
  });
}
