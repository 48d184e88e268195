// Fallback wording for zod issues raised by schemas that carry no text of their own.
import type { z } from 'zod';
import { KEYS_MARK } from './fields.ts';

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'a map',
  array: 'a list',
  record: 'a map',
  tuple: 'a list',
};

export function expectedText(iss: z.core.$ZodRawIssue): string {
  switch (iss.code) {
    case 'invalid_type':
      return TYPE_NAMES[iss.expected] ?? iss.expected;
    case 'too_small':
      return iss.origin === 'array'
        ? `a list with at least ${iss.minimum} entries`
        : `a value >= ${iss.minimum}`;
    case 'too_big':
      return iss.origin === 'array'
        ? `a list with at most ${iss.maximum} entries`
        : `a value <= ${iss.maximum}`;
    case 'invalid_value':
      return `one of: ${iss.values.map(String).join(', ')}`;
    case 'unrecognized_keys':
      return KEYS_MARK;
    case 'invalid_format':
      return `a string of format ${iss.format}`;
    default:
      return 'a valid value';
  }
}
