// Reading manifests: multi-document YAML, JSON, kind: List, directories; positions of bad input.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseManifests, readManifests } from '../../src/import/index.ts';
import { ScenarioError } from '../../src/scenario/index.ts';

const tmp = mkdtempSync(join(tmpdir(), 'meshsim-import-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('reading manifests', () => {
  it('reads every document with its line, and the items of a kind: List at their own lines', () => {
    const text =
      'apiVersion: v1\nkind: Namespace\nmetadata: { name: a }\n---\napiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Service\n    metadata: { name: s, namespace: a }\n  - apiVersion: v1\n    kind: ServiceAccount\n    metadata: { name: sa }\n';
    const { manifests, issues } = parseManifests(text, 'f.yaml');
    expect(issues).toEqual([]);
    expect(manifests.map((m) => [m.kind, m.name, m.source.line])).toEqual([
      ['Namespace', 'a', 1],
      ['Service', 's', 8],
      ['ServiceAccount', 'sa', 11],
    ]);
  });

  it('reads JSON (kubectl -o json) and walks directories in name order', () => {
    mkdirSync(join(tmp, 'dir/sub'), { recursive: true });
    writeFileSync(
      join(tmp, 'dir/b.json'),
      JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'b' } }),
    );
    writeFileSync(join(tmp, 'dir/sub/a.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: { name: a }\n');
    writeFileSync(join(tmp, 'dir/notes.txt'), 'not a manifest');
    expect(readManifests([join(tmp, 'dir')]).map((m) => m.name)).toEqual(['b', 'a']);
  });

  it('reports YAML it cannot parse and documents that are not objects as file:line:col', () => {
    const f = join(tmp, 'bad.yaml');
    writeFileSync(
      f,
      'apiVersion: v1\nkind: Namespace\nmetadata: { name: ok }\n---\nkind: Service\nmetadata:\n  name: [unclosed\n---\n- just\n- a list\n',
    );
    try {
      readManifests([f]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ScenarioError);
      const lines = (e as ScenarioError).message.split('\n');
      expect(lines[0]).toMatch(new RegExp(`^${f.replace(/[.]/g, '\\.')}:\\d+:\\d+: document 2: `));
      expect(lines.some((l) => l.startsWith(`${f}:9:1: document 3: found not a map`))).toBe(true);
    }
  });

  it('says which path does not exist', () => {
    expect(() => readManifests([join(tmp, 'missing.yaml')])).toThrow(
      /missing\.yaml: <root>: cannot read: the file does not exist/,
    );
  });
});
