// zod issues -> pending issues: unknown-key issues are split per key (each with its own position and
// did-you-mean); enum misses get a did-you-mean from the allowed values.
import type { z } from 'zod';
import type { PendingIssue } from './pending.ts';
import { KEYS_MARK } from './schema/fields.ts';
import { suggestion } from './suggest.ts';

export function fromZod(issues: readonly z.core.$ZodIssue[]): PendingIssue[] {
  const out: PendingIssue[] = [];
  for (const iss of issues) {
    const path = [...iss.path];
    if (iss.message.startsWith(KEYS_MARK) && 'keys' in iss) {
      const allowed = iss.message.slice(KEYS_MARK.length).split(',').filter(Boolean);
      for (const key of iss.keys) {
        const expected = `a known field (one of: ${allowed.join(', ')})`;
        const hint = suggestion(key, allowed);
        const message = `unknown field ${JSON.stringify(key)}${hint || `, expected ${expected}`}`;
        out.push({ path: [...path, key], expected, atKey: true, message });
      }
      continue;
    }
    const params =
      iss.code === 'custom'
        ? (iss.params as { candidates?: string[]; atKey?: boolean } | undefined)
        : undefined;
    const candidates = iss.code === 'invalid_value' ? iss.values.map(String) : params?.candidates;
    const p: PendingIssue = { path, expected: iss.message };
    if (candidates) p.candidates = candidates;
    if (params?.atKey) p.atKey = true;
    out.push(p);
  }
  return out;
}
