// One Kubernetes object as read from a file, with where it came from (findings and import comments point
// back to it as file:line).
import type { Json } from './fields.ts';

export interface SourceRef {
  file: string;
  line: number;
  column: number;
}

export interface Manifest {
  apiVersion: string;
  kind: string;
  name: string;
  /** metadata.namespace; undefined for cluster-scoped objects and for objects written without one. */
  namespace?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** The whole object as parsed (spec, data, ...). */
  body: Json;
  source: SourceRef;
  /** The name or namespace as written, when it is not a DNS label and was turned into one. */
  renamedFrom?: string;
}

/** `kind namespace/name` as a reader writes it. */
export function describe(m: Manifest): string {
  return `${m.kind} ${m.namespace ? `${m.namespace}/` : ''}${m.name}`;
}

export function where(s: SourceRef): string {
  return `${s.file}:${s.line}`;
}

/** The namespace an object lives in: Kubernetes puts namespaced objects written without one in `default`. */
export function namespaceOf(m: Manifest): string {
  return m.namespace ?? 'default';
}
