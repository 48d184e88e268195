// Files and directories of manifests -> Manifest objects. Multi-document YAML, JSON (YAML's subset) and
// `kind: List` (kubectl get -o yaml) are all read through the `yaml` package's document API, which keeps
// source ranges, so a manifest that cannot be parsed is reported as file:line:col like a scenario error.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isSeq, LineCounter, type Node, parseAllDocuments } from 'yaml';
import { ScenarioError, type ScenarioIssue } from '../scenario/index.ts';
import { isObj, type Json, str, stringMap, toDnsLabel } from './fields.ts';
import type { Manifest } from './manifest.ts';

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/** Every manifest file under the given paths, directories walked recursively in name order. */
export function manifestFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  const issues: ScenarioIssue[] = [];
  const walk = (p: string, top: boolean): void => {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      issues.push(unreadable(p, 'the file does not exist'));
      return;
    }
    if (!isDir) {
      if (top || MANIFEST_FILE.test(p)) out.push(p);
      return;
    }
    for (const e of readdirSync(p).sort()) if (!e.startsWith('.')) walk(join(p, e), false);
  };
  for (const p of paths) walk(p, true);
  if (issues.length > 0) throw new ScenarioError(issues);
  return out;
}

function unreadable(file: string, reason: string): ScenarioIssue {
  const expected = 'a readable manifest file or directory';
  return { file, path: '<root>', found: reason, expected, message: `cannot read: ${reason}` };
}

export function readManifests(paths: readonly string[]): Manifest[] {
  const manifests: Manifest[] = [];
  const issues: ScenarioIssue[] = [];
  for (const file of manifestFiles(paths)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      issues.push(unreadable(file, String((e as Error).message)));
      continue;
    }
    const r = parseManifests(text, file);
    // Loops, not push(...list): one `kind: List` can hold more objects than a call takes arguments.
    for (const m of r.manifests) manifests.push(m);
    for (const i of r.issues) issues.push(i);
  }
  if (issues.length > 0) throw new ScenarioError(issues);
  return manifests;
}

function issueAt(
  file: string,
  lines: LineCounter,
  offset: number,
  path: string,
  found: string,
  expected: string,
): ScenarioIssue {
  const { line, col } = lines.linePos(offset);
  const message = `found ${found}, expected ${expected}`;
  return { file, line, column: col, path, found, expected, message };
}

/** Parses one file's text; problems are returned, not thrown, so every file's are reported together. */
export function parseManifests(
  text: string,
  file: string,
): { manifests: Manifest[]; issues: ScenarioIssue[] } {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const manifests: Manifest[] = [];
  const issues: ScenarioIssue[] = [];
  if (!Array.isArray(docs)) return { manifests, issues };
  docs.forEach((doc, d) => {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        const { line, col } = lines.linePos(e.pos[0]);
        const message = e.message.split('\n')[0] ?? e.message;
        issues.push({
          file,
          line,
          column: col,
          path: `document ${d + 1}`,
          found: 'invalid YAML',
          expected: 'valid YAML',
          message,
        });
      }
      return;
    }
    const root = doc.contents;
    if (root === null || root === undefined) return;
    const data: unknown = doc.toJS({ maxAliasCount: 1000 });
    if (data === null || data === undefined) return;
    const path = `document ${d + 1}`;
    if (!isObj(data) || !isMap(root)) {
      issues.push(
        issueAt(
          file,
          lines,
          root.range?.[0] ?? 0,
          path,
          'not a map',
          'a Kubernetes object (apiVersion, kind, metadata)',
        ),
      );
      return;
    }
    if (str(data.kind)?.endsWith('List') && Array.isArray(data.items)) {
      const itemsNode = root.get('items', true) as Node | undefined;
      data.items.forEach((item, i) => {
        const node = isSeq(itemsNode) ? (itemsNode.items[i] as Node | undefined) : undefined;
        const offset = node?.range?.[0] ?? root.range?.[0] ?? 0;
        const m = toManifest(item, file, lines, offset);
        if (m) manifests.push(m);
        else
          issues.push(
            issueAt(
              file,
              lines,
              offset,
              `${path}.items[${i}]`,
              'no kind',
              'a Kubernetes object with apiVersion and kind',
            ),
          );
      });
      return;
    }
    const m = toManifest(data, file, lines, root.range?.[0] ?? 0);
    if (m) manifests.push(m);
    else
      issues.push(
        issueAt(
          file,
          lines,
          root.range?.[0] ?? 0,
          path,
          'no kind',
          'a Kubernetes object with apiVersion and kind',
        ),
      );
  });
  return { manifests, issues };
}

function toManifest(data: unknown, file: string, lines: LineCounter, offset: number): Manifest | undefined {
  if (!isObj(data)) return undefined;
  const kind = str(data.kind);
  if (!kind) return undefined;
  const meta: Json = isObj(data.metadata) ? data.metadata : {};
  const { line, col } = lines.linePos(offset);
  const rawName = str(meta.name) ?? '';
  const rawNs = str(meta.namespace);
  const name = toDnsLabel(rawName);
  const namespace = rawNs === undefined ? undefined : toDnsLabel(rawNs);
  const renamed = name !== rawName || namespace !== rawNs;
  return {
    apiVersion: str(data.apiVersion) ?? '',
    kind,
    name,
    namespace,
    ...(renamed ? { renamedFrom: `${rawNs ? `${rawNs}/` : ''}${rawName}` } : {}),
    labels: stringMap(meta.labels),
    annotations: stringMap(meta.annotations),
    body: data,
    source: { file, line, column: col },
  };
}
