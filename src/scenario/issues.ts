// What the loader reports: every problem of a file at once, each with where it is and what was expected.

export interface ScenarioIssue {
  file: string;
  /** 1-based; absent for whole-file problems (unreadable file, empty document). */
  line?: number;
  column?: number;
  /** Field path such as `services[2].calls[0].to`; `<root>` for the document itself. */
  path: string;
  /** The offending value rendered short, or `nothing` when missing. */
  found: string;
  expected: string;
  /** The full sentence shown to the user (found, expected, and a did-you-mean when there is one). */
  message: string;
}

export class ScenarioError extends Error {
  readonly issues: ScenarioIssue[];
  constructor(issues: ScenarioIssue[]) {
    super(formatIssues(issues));
    this.name = 'ScenarioError';
    this.issues = issues;
  }
}

function location(i: ScenarioIssue): string {
  if (i.line === undefined) return i.file;
  return `${i.file}:${i.line}:${i.column ?? 1}`;
}

/** One issue per line, in the `file:line:col: path: message` form editors and terminals link. */
export function formatIssues(issues: ScenarioIssue[]): string {
  return issues.map((i) => `${location(i)}: ${i.path}: ${i.message}`).join('\n');
}

/** The default sentence: `found "-1", expected an integer >= 0` (maps and lists shown as JSON, unquoted). */
export function foundExpected(found: string, expected: string): string {
  const bare = found === 'nothing' || /^[[{]/.test(found);
  return `found ${bare ? found : JSON.stringify(found)}, expected ${expected}`;
}

/** Renders a path the way a reader writes it: `services[2].calls[0].to`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (typeof p === 'string' && /^[A-Za-z_][\w-]*$/.test(p)) out += out ? `.${p}` : p;
    else out += `[${JSON.stringify(String(p))}]`;
  }
  return out || '<root>';
}
