// A small JSON Schema checker covering the keywords z.toJSONSchema emits for the scenario file, so the
// bundled scenarios can be checked against scenarios/schema.json without another dependency.
type Schema = Record<string, unknown>;

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeMatches(v: unknown, t: unknown): boolean {
  const types = Array.isArray(t) ? t : [t];
  const actual = typeOf(v);
  return types.some((x) => x === actual || (x === 'number' && actual === 'integer'));
}

export function check(s: Schema, v: unknown, at = '$'): string[] {
  const errors: string[] = [];
  const fail = (why: string) => errors.push(`${at}: ${why}`);
  if (s.type !== undefined && !typeMatches(v, s.type))
    return [`${at}: not of type ${JSON.stringify(s.type)}`];
  if (s.const !== undefined && v !== s.const) fail(`not ${JSON.stringify(s.const)}`);
  if (Array.isArray(s.enum) && !s.enum.includes(v)) fail(`not one of ${JSON.stringify(s.enum)}`);
  if (typeof v === 'string') {
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(v))
      fail(`does not match ${s.pattern}`);
    if (typeof s.minLength === 'number' && v.length < s.minLength) fail('too short');
  }
  if (typeof v === 'number') {
    if (typeof s.minimum === 'number' && v < s.minimum) fail(`< ${s.minimum}`);
    if (typeof s.maximum === 'number' && v > s.maximum) fail(`> ${s.maximum}`);
    if (typeof s.exclusiveMinimum === 'number' && v <= s.exclusiveMinimum) fail(`<= ${s.exclusiveMinimum}`);
    if (typeof s.exclusiveMaximum === 'number' && v >= s.exclusiveMaximum) fail(`>= ${s.exclusiveMaximum}`);
  }
  if (Array.isArray(v)) {
    if (typeof s.minItems === 'number' && v.length < s.minItems) fail('too few items');
    const prefix = (s.prefixItems as Schema[] | undefined) ?? [];
    v.forEach((x, i) => {
      const item = prefix[i] ?? (s.items as Schema | undefined);
      if (item) errors.push(...check(item, x, `${at}[${i}]`));
    });
  }
  if (typeOf(v) === 'object') {
    const obj = v as Record<string, unknown>;
    const props = (s.properties as Record<string, Schema> | undefined) ?? {};
    for (const r of (s.required as string[] | undefined) ?? []) if (!(r in obj)) fail(`missing ${r}`);
    for (const [k, x] of Object.entries(obj)) {
      const p =
        props[k] ??
        (typeof s.additionalProperties === 'object' ? (s.additionalProperties as Schema) : undefined);
      if (p) errors.push(...check(p, x, `${at}.${k}`));
      else if (s.additionalProperties === false) fail(`unknown property ${k}`);
    }
  }
  const anyOf = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (anyOf && !anyOf.some((branch) => check(branch, v, at).length === 0)) fail('matches no alternative');
  return errors;
}
