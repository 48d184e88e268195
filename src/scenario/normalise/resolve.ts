// Service references: `name` (in the caller's namespace, or unique in the cluster), `name.namespace`,
// or the key `namespace/name`.

export interface ServiceRef {
  key: string;
  name: string;
  namespace: string;
}

export type Resolution = { key: string } | { expected: string; candidates: string[] };

export class ServiceIndex {
  private readonly keys = new Set<string>();
  private readonly byName = new Map<string, string[]>();

  constructor(services: readonly ServiceRef[]) {
    for (const s of services) {
      this.keys.add(s.key);
      this.byName.set(s.name, [...(this.byName.get(s.name) ?? []), s.namespace]);
    }
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }

  /** Every way a service may be written, for did-you-mean. */
  private spellings(fromNamespace?: string): string[] {
    const out: string[] = [];
    for (const [name, namespaces] of this.byName) {
      for (const ns of namespaces) {
        out.push(`${name}.${ns}`);
        if (ns === fromNamespace || namespaces.length === 1) out.push(name);
      }
    }
    return out;
  }

  resolve(ref: string, fromNamespace?: string): Resolution {
    const key = ref.includes('/')
      ? ref
      : ref.includes('.')
        ? `${ref.slice(ref.indexOf('.') + 1)}/${ref.slice(0, ref.indexOf('.'))}`
        : this.bareKey(ref, fromNamespace);
    if (key !== undefined && this.keys.has(key)) return { key };
    const namespaces = this.byName.get(ref) ?? [];
    if (!fromNamespace && namespaces.length > 1) {
      return {
        expected: `one of ${namespaces.map((ns) => `${ref}.${ns}`).join(', ')} (the name is ambiguous)`,
        candidates: [],
      };
    }
    const where = fromNamespace ? `in namespace ${fromNamespace}, or name.namespace` : 'or name.namespace';
    return {
      expected: `the name of a declared service (${where})`,
      candidates: this.spellings(fromNamespace),
    };
  }

  private bareKey(name: string, fromNamespace?: string): string | undefined {
    if (fromNamespace) return `${fromNamespace}/${name}`;
    const namespaces = this.byName.get(name) ?? [];
    return namespaces.length === 1 ? `${namespaces[0]}/${name}` : undefined;
  }
}
