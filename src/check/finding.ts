// What `meshsim check` reports: one finding per object and rule, with a stable code, a severity, where
// the object came from, what goes wrong in each architecture, what to do, and the page it rests on. The
// shape is plain JSON so `--json` and the results report can carry it unchanged.

export type Severity = 'info' | 'warning' | 'error';
export type Arch = 'none' | 'sidecar' | 'ambient';

export interface FindingObject {
  kind: string;
  name: string;
  namespace?: string;
  file?: string;
  line?: number;
}

export interface Finding {
  /** Stable across releases: MSH1xx policy and probes, MSH2xx CNI and platform, MSH3xx observability, MSH4xx migration and traffic. */
  code: string;
  severity: Severity;
  title: string;
  object: FindingObject;
  message: string;
  /** What happens in each architecture (absent: nothing to say). */
  architectures: Partial<Record<Arch, string>>;
  action: string;
  /** The documentation page or source the rule rests on; `ASSUMPTION: ...` where none was found. */
  reference: string;
}

const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Errors first, then by code, file position and name: a stable order for text and JSON alike. */
export function sortFindings(fs: readonly Finding[]): Finding[] {
  return [...fs].sort(
    (a, b) =>
      ORDER[a.severity] - ORDER[b.severity] ||
      a.code.localeCompare(b.code) ||
      (a.object.file ?? '').localeCompare(b.object.file ?? '') ||
      (a.object.line ?? 0) - (b.object.line ?? 0) ||
      `${a.object.namespace}/${a.object.name}`.localeCompare(`${b.object.namespace}/${b.object.name}`),
  );
}

export function hasErrors(fs: readonly Finding[]): boolean {
  return fs.some((f) => f.severity === 'error');
}

function objectText(o: FindingObject): string {
  const at = o.file ? `${o.file}${o.line !== undefined ? `:${o.line}` : ''}: ` : '';
  return `${at}${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
}

/** The terminal form, one block per finding, the position first so editors link it. */
export function formatFindings(fs: readonly Finding[]): string {
  const blocks = sortFindings(fs).map((f) => {
    const lines = [`${objectText(f.object)}: ${f.code} ${f.severity}: ${f.title}`, `  ${f.message}`];
    for (const a of ['none', 'sidecar', 'ambient'] as const)
      if (f.architectures[a]) lines.push(`  ${a}: ${f.architectures[a]}`);
    lines.push(`  fix: ${f.action}`, `  see: ${f.reference}`);
    return lines.join('\n');
  });
  const counts = (['error', 'warning', 'info'] as const).map(
    (s) => `${fs.filter((f) => f.severity === s).length} ${s}`,
  );
  return `${blocks.join('\n\n')}${blocks.length > 0 ? '\n\n' : ''}${fs.length} finding${fs.length === 1 ? '' : 's'} (${counts.join(', ')})\n`;
}

export function findingsJson(fs: readonly Finding[]): string {
  return `${JSON.stringify({ findings: sortFindings(fs) }, null, 2)}\n`;
}
