import type { Architecture } from '../scenario/index.ts';
import { parseDuration } from '../scenario/index.ts';
import { UsageError } from './errors.ts';

const ARCHS: readonly Architecture[] = ['none', 'sidecar', 'ambient', 'as-labelled'];

export function parseArchs(v: string | undefined): Architecture[] | undefined {
  if (v === undefined) return undefined;
  const list = v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  for (const a of list)
    if (!ARCHS.includes(a as Architecture))
      throw new UsageError(`--arch: found "${a}", expected a comma-separated list of ${ARCHS.join(', ')}`);
  if (list.length === 0) throw new UsageError('--arch: expected at least one architecture');
  return [...new Set(list)] as Architecture[];
}

export function parseDurationFlag(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  try {
    return parseDuration(v);
  } catch {
    throw new UsageError(`--${name}: found "${v}", expected a duration such as 30s or 2m`);
  }
}

export function parseIntFlag(name: string, v: number | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isInteger(v) || v < min)
    throw new UsageError(`--${name}: found ${v}, expected an integer >= ${min}`);
  return v;
}
