// Which parts of an imported scenario came from the --calls overlay, so a problem the scenario loader
// finds in them is reported at the overlay's own file:line:col (the user never saw the generated text).
import { ScenarioError, type ScenarioIssue } from '../scenario/index.ts';
import type { Path } from './notes.ts';
import type { Overlay } from './overlay.ts';

export interface Origin {
  /** Path in the imported scenario. */
  at: Path;
  /** The same value's path in the overlay. */
  from: Path;
}

/** `services[2].calls[0].to` -> ['services', 2, 'calls', 0, 'to'] (the loader's formatPath, reversed). */
export function parsePath(p: string): Array<string | number> {
  const out: Array<string | number> = [];
  const re = /([A-Za-z_][\w-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g;
  for (const m of p.matchAll(re)) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[3] !== undefined) out.push(JSON.parse(m[3]) as string);
  }
  return out;
}

function startsWith(path: readonly (string | number)[], prefix: Path): boolean {
  return prefix.every((x, i) => path[i] === x);
}

function render(path: readonly (string | number)[]): string {
  return path.map((x, i) => (typeof x === 'number' ? `[${x}]` : i === 0 ? x : `.${x}`)).join('');
}

/** The loader's error on the imported text, with the overlay's problems moved to the overlay file. */
export function toOverlayErrors(
  e: ScenarioError,
  overlay: Overlay | undefined,
  origins: readonly Origin[],
): ScenarioError {
  if (!overlay) return e;
  const issues = e.issues.map((i): ScenarioIssue => {
    const path = parsePath(i.path);
    const o = origins.find((x) => startsWith(path, x.at));
    if (!o) return i;
    const from = [...o.from, ...path.slice(o.at.length)];
    const { line, column } = overlay.locate(from);
    return { ...i, file: overlay.file, path: render(from), ...(line !== undefined ? { line, column } : {}) };
  });
  return new ScenarioError(issues);
}
