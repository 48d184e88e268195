// Reading untyped Kubernetes JSON without trusting its shape: every accessor returns a safe default, so a
// manifest with an unexpected field type is imported as far as it goes instead of crashing the reader.

export type Json = Record<string, unknown>;

export function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function obj(v: unknown): Json {
  return isObj(v) ? v : {};
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function objs(v: unknown): Json[] {
  return arr(v).filter(isObj);
}

export function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

export function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/** Labels and annotations: string values only (Kubernetes requires strings; numbers are stringified). */
export function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(obj(v))) {
    const s = str(x);
    if (s !== undefined) out[k] = s;
  }
  return out;
}

/** An IntOrString count as the scenario writes it (`2`, `"50%"`); undefined for anything else. */
export function intOrPercent(v: unknown): number | string | undefined {
  const s = str(v);
  if (s === undefined) return undefined;
  if (/^\d+$/.test(s)) return Number(s);
  return /^\d+%$/.test(s) ? s : undefined;
}

/** Kubernetes label selector semantics: matchLabels all equal and every matchExpression holds. */
export function selects(selector: Json | undefined, labels: Record<string, string>): boolean {
  if (!selector) return false;
  const matchLabels = stringMap(selector.matchLabels);
  for (const [k, v] of Object.entries(matchLabels)) if (labels[k] !== v) return false;
  for (const e of objs(selector.matchExpressions)) {
    const key = str(e.key) ?? '';
    const values = arr(e.values).map((x) => str(x) ?? '');
    const op = str(e.operator);
    const has = key in labels;
    if (op === 'In' && !(has && values.includes(labels[key]!))) return false;
    if (op === 'NotIn' && has && values.includes(labels[key]!)) return false;
    if (op === 'Exists' && !has) return false;
    if (op === 'DoesNotExist' && has) return false;
  }
  return true;
}

/** A Service's plain `spec.selector` map (no expressions); an empty or missing one selects nothing. */
export function mapSelects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_LABEL_MAX = 63;

/**
 * A Kubernetes name as a scenario name (an RFC 1123 label): Deployments and Gateways may be dotted
 * subdomains, which the scenario format does not allow; dots and other characters become `-`.
 */
export function toDnsLabel(s: string, fallback = 'unnamed'): string {
  if (DNS_LABEL.test(s) && s.length <= DNS_LABEL_MAX) return s;
  const v = s
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, DNS_LABEL_MAX)
    .replace(/-+$/, '');
  return v || fallback;
}
