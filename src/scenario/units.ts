// Human-friendly quantities to SI. Each parser accepts a plain number (already in the base unit) or a
// string with a unit, and throws a UnitError carrying the expected format, which the schema turns into a
// positioned scenario issue.

export class UnitError extends Error {
  constructor(
    readonly expected: string,
    readonly found: string,
  ) {
    super(`found ${JSON.stringify(found)}, expected ${expected}`);
    this.name = 'UnitError';
  }
}

const NUM = String.raw`(?:\d+(?:\.\d+)?|\.\d+)`;
const EXP = String.raw`(?:[eE][+-]?\d+)?`;

/** Regular expressions of the string forms, shared with the JSON Schema so editors flag typos too. */
export const UNIT_PATTERNS = {
  cpu: `^${NUM}${EXP}m?$`,
  memory: `^${NUM}${EXP}(?:Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$`,
  duration: `^(?:${NUM}|(?:${NUM}(?:ns|us|µs|μs|ms|s|m|h))+)$`,
  size: `^${NUM}(?:B|kB|KB|MB|GB|TB|KiB|MiB|GiB|TiB)?$`,
  rate: `^${NUM}(?:/(?:s|ms|min|h))?$`,
  intOrPercent: String.raw`^\d+%?$`,
} as const;

export const UNIT_EXPECTED = {
  cpu: 'a CPU quantity such as 250m or 1.5',
  memory: 'a memory quantity such as 128Mi, 2Gi, 500M or 1e9',
  duration: 'a duration such as 2ms, 30s, 100us, 5m, 1h or 1m30s',
  size: 'a size such as 512B, 1KiB, 1KB or 4MiB',
  rate: 'a rate such as 300/s, 18000/min, 5/ms or 1000/h',
  intOrPercent: 'an integer >= 0 or a percentage such as 25%',
} as const;

type Unit = keyof typeof UNIT_PATTERNS;

/**
 * The largest value of each kind the model represents (ASSUMPTIONS, far beyond any real cluster): past
 * them sums overflow to Infinity or arrays cannot be sized, so they are input errors, not results.
 */
export const UNIT_MAX = {
  cpu: { value: 1e5, text: '100000 cores' },
  memory: { value: 2 ** 60, text: '1Ei' },
  duration: { value: 1e8, text: '100000000s (about 3 years)' },
  size: { value: 2 ** 40, text: '1TiB' },
  rate: { value: 1e9, text: '1000000000/s' },
  intOrPercent: { value: 1e9, text: '1000000000' },
} as const;

function bounded(unit: Unit, raw: string, v: number): number {
  if (v > UNIT_MAX[unit].value)
    throw new UnitError(`${UNIT_EXPECTED[unit]}, at most ${UNIT_MAX[unit].text}`, raw);
  return v;
}

function fromNumber(unit: Unit, v: number): number {
  if (!Number.isFinite(v) || v < 0) throw new UnitError(UNIT_EXPECTED[unit], String(v));
  return bounded(unit, String(v), v);
}

function match(unit: Unit, v: string): RegExpExecArray {
  const m = new RegExp(UNIT_PATTERNS[unit]).exec(v);
  if (!m) throw new UnitError(UNIT_EXPECTED[unit], v);
  return m;
}

function finite(unit: Unit, raw: string, v: number): number {
  if (!Number.isFinite(v)) throw new UnitError(UNIT_EXPECTED[unit], raw);
  return bounded(unit, raw, v);
}

/** CPU cores: `250m` is 0.25, `1.5` is 1.5. */
export function parseCpu(v: string | number): number {
  if (typeof v === 'number') return fromNumber('cpu', v);
  match('cpu', v);
  const milli = v.endsWith('m');
  const n = Number(milli ? v.slice(0, -1) : v);
  return finite('cpu', v, milli ? n / 1000 : n);
}

const MEMORY_FACTORS: Record<string, number> = {
  '': 1,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/** Bytes, with Kubernetes quantity suffixes (binary Ki..Ei, decimal k..E, or an exponent `1e9`). */
export function parseMemory(v: string | number): number {
  if (typeof v === 'number') return fromNumber('memory', v);
  match('memory', v);
  const suffix = /(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)$/.exec(v)?.[1] ?? '';
  // `1E` is one exabyte, `1E3` is 1000: the suffix only counts when no exponent digits follow it.
  const n = Number(v.slice(0, v.length - suffix.length));
  return finite('memory', v, n * (MEMORY_FACTORS[suffix] ?? 1));
}

// Sub-second units divide rather than multiply by 1e-6: `10us` is then the double nearest 1e-5 (10 * 1e-6
// is 9.999999999999999e-6), so hand calculations in seconds come out exact.
const DURATION_DIVISORS: Record<string, number> = { ns: 1e9, us: 1e6, µs: 1e6, μs: 1e6, ms: 1e3 };
const DURATION_FACTORS: Record<string, number> = { s: 1, m: 60, h: 3600 };

/** Seconds. `m` is minutes (as in Go and Kubernetes), and parts add up: `1m30s` is 90. */
export function parseDuration(v: string | number): number {
  if (typeof v === 'number') return fromNumber('duration', v);
  match('duration', v);
  if (/^[\d.]+$/.test(v)) return finite('duration', v, Number(v));
  let total = 0;
  for (const part of v.matchAll(/([\d.]+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    const unit = part[2] ?? 's';
    const d = DURATION_DIVISORS[unit];
    total += d ? Number(part[1]) / d : Number(part[1]) * (DURATION_FACTORS[unit] ?? 1);
  }
  return finite('duration', v, total);
}

const SIZE_FACTORS: Record<string, number> = {
  '': 1,
  B: 1,
  kB: 1e3,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KiB: 2 ** 10,
  MiB: 2 ** 20,
  GiB: 2 ** 30,
  TiB: 2 ** 40,
};

/** Bytes: `1KiB` is 1024, `1KB` is 1000, a bare number is bytes. */
export function parseSize(v: string | number): number {
  if (typeof v === 'number') return fromNumber('size', v);
  match('size', v);
  const suffix = /[A-Za-z]+$/.exec(v)?.[0] ?? '';
  return finite('size', v, Number(v.slice(0, v.length - suffix.length)) * (SIZE_FACTORS[suffix] ?? 1));
}

const RATE_PER: Record<string, number> = { s: 1, ms: 1e-3, min: 60, h: 3600 };

/** Per second: `18000/min` is 300. A bare number is per second. */
export function parseRate(v: string | number): number {
  if (typeof v === 'number') return fromNumber('rate', v);
  match('rate', v);
  const [n = '', per = 's'] = v.split('/');
  return finite('rate', v, Number(n) / (RATE_PER[per] ?? 1));
}

/** Kubernetes IntOrString as used by maxSurge / maxUnavailable: `1` or `25%`. */
export function parseIntOrPercent(v: string | number): { value: number; percent: boolean } {
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0) throw new UnitError(UNIT_EXPECTED.intOrPercent, String(v));
    return { value: v, percent: false };
  }
  match('intOrPercent', v);
  const percent = v.endsWith('%');
  return { value: Number(percent ? v.slice(0, -1) : v), percent };
}
