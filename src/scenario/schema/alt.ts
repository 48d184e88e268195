// A value that may take several shapes (`2ms` or `{ uniform: {...} }`; an event with exactly one of
// `upgrade`/`migrate`/...). zod's unions try every branch and report them all when none fits, which reads
// badly; here the shape of the value picks one branch, whose own issues are reported as if it were the
// only schema. The JSON Schema still shows the honest union of the branches (see jsonSchemaOverride).
import { z } from 'zod';
import { didYouMean } from '../suggest.ts';
import { expectedText } from './expected.ts';

export type Choice =
  | { schema: z.ZodType }
  /** No branch fits: report `expected` at `path` (relative), with did-you-mean `candidates`. */
  | { path: PropertyKey[]; expected: string; candidates?: string[]; atKey?: boolean };

const UNIONS = new WeakMap<object, z.ZodType>();

export function alt<T>(branches: z.ZodType[], choose: (v: unknown) => Choice) {
  const schema = z.unknown().transform((v, ctx): T => {
    const c = choose(v);
    if (!('schema' in c)) {
      ctx.addIssue({
        code: 'custom',
        message: c.expected,
        path: c.path,
        params: { candidates: c.candidates, atKey: c.atKey },
      });
      return z.NEVER;
    }
    const r = c.schema.safeParse(v, { error: expectedText });
    if (r.success) return r.data as T;
    for (const issue of r.error.issues) ctx.addIssue(issue as Parameters<typeof ctx.addIssue>[0]);
    return z.NEVER;
  });
  UNIONS.set(schema, z.union(branches));
  return schema;
}

/** The union an alt() stands for, for JSON Schema generation. */
export function unionOf(schema: object): z.ZodType | undefined {
  return UNIONS.get(schema);
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Picks the branch keyed by the one known key an object has, e.g. `{ uniform: ... }`. */
export function byKey(v: Record<string, unknown>, branches: Record<string, z.ZodType>, what: string): Choice {
  const known = Object.keys(branches);
  const present = Object.keys(v).filter((k) => k in branches);
  const [first, second] = present;
  if (first !== undefined && second === undefined) return { schema: branches[first] as z.ZodType };
  const expected = `exactly one of: ${known.join(', ')} (${what})`;
  if (second !== undefined) return { path: [second], expected, atKey: true };
  // A misspelt variant (`unifrom`) is the likeliest reason none is present: point at it.
  const stranger = Object.keys(v).find((k) => didYouMean(k, known) !== undefined);
  if (stranger !== undefined) return { path: [stranger], expected, candidates: known, atKey: true };
  return { path: [], expected };
}
