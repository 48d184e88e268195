// How a client holds connections to a destination: a bare type name or a map with its parameters.
import type { z } from 'zod';
import { alt, isPlainObject } from './alt.ts';
import { distribution } from './distribution.ts';
import { int, MAX, obj, oneOf } from './fields.ts';

const TYPES = ['keepalive', 'per-request', 'long-lived'] as const;

/** The raw connection: only what the file says; defaults are filled by the normaliser. */
export interface RawConnection {
  type: (typeof TYPES)[number];
  poolSize?: number;
  lifetime?: z.output<ReturnType<typeof distribution>>;
}

const byName = oneOf(TYPES).transform((type): RawConnection => ({ type }));

const BRANCHES: Record<string, z.ZodType> = {
  keepalive: obj({ type: oneOf(['keepalive']), poolSize: int(1, MAX.connections).optional() }),
  'per-request': obj({ type: oneOf(['per-request']) }),
  'long-lived': obj({
    type: oneOf(['long-lived']),
    poolSize: int(1, MAX.connections).optional(),
    lifetime: distribution().optional(),
  }),
};

const EXPECTED = `one of: ${TYPES.join(', ')}, or a map such as { type: keepalive, poolSize: 8 }`;

export function connection() {
  return alt<RawConnection>([byName, ...Object.values(BRANCHES)], (v) => {
    if (typeof v === 'string') return { schema: byName };
    if (!isPlainObject(v)) return { path: [], expected: EXPECTED };
    const branch = typeof v.type === 'string' ? BRANCHES[v.type] : undefined;
    if (branch) return { schema: branch };
    return { path: ['type'], expected: `one of: ${TYPES.join(', ')}`, candidates: [...TYPES] };
  });
}
