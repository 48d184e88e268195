// `--calls FILE`: the call graph and traffic the manifests cannot say, as a small overlay in the scenario
// format (`services: [{ name, namespace?, calls, serviceTime, concurrency }]`, `traffic: [...]`, and any
// other top-level scenario field). Names are checked against the imported services here, with the
// overlay's own file:line:col; field values are checked by the scenario loader on the merged result.
import { readFileSync } from 'node:fs';
import { isMap, LineCounter, type Node, parseDocument } from 'yaml';
import { ScenarioError, type ScenarioIssue } from '../scenario/index.ts';
import { isObj, type Json, objs, str } from './fields.ts';

export interface Overlay {
  file: string;
  data: Json;
  /** file:line:col of `services[i]` and `traffic[i]` (for messages). */
  locate(path: ReadonlyArray<string | number>): { line?: number; column?: number };
}

/** Fields of a service the overlay may set; the rest come from the manifests. */
export const OVERLAY_SERVICE_FIELDS = [
  'calls',
  'serviceTime',
  'concurrency',
  'sidecarScope',
  'sidecarPods',
  'labels',
  'annotations',
  'replicas',
  'resources',
  'versions',
];

export function readOverlay(file: string): Overlay {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const reason =
      (e as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'the file does not exist'
        : String((e as Error).message);
    throw new ScenarioError([
      {
        file,
        path: '<root>',
        found: reason,
        expected: 'a readable calls overlay',
        message: `cannot read the file: ${reason}`,
      },
    ]);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number | undefined) => {
    if (offset === undefined) return {};
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };
  if (doc.errors.length > 0)
    throw new ScenarioError(
      doc.errors.map((e) => ({
        file,
        ...at(e.pos[0]),
        path: '<root>',
        found: 'invalid YAML',
        expected: 'valid YAML',
        message: e.message.split('\n')[0] ?? e.message,
      })),
    );
  const data: unknown = doc.toJS() ?? {};
  if (!isObj(data) || (doc.contents && !isMap(doc.contents))) {
    const expected = 'a map with services and traffic (the scenario format)';
    throw new ScenarioError([
      {
        file,
        ...at(doc.contents?.range?.[0]),
        path: '<root>',
        found: 'not a map',
        expected,
        message: `found not a map, expected ${expected}`,
      },
    ]);
  }
  return {
    file,
    data,
    locate: (path) => at((doc.getIn(path, true) as Node | undefined)?.range?.[0] ?? doc.contents?.range?.[0]),
  };
}

export interface ServiceRef {
  name: string;
  namespace: string;
}

/** The imported service an overlay entry means: by name and namespace, or by a name unique in the cluster. */
export function matchOverlayServices(
  overlay: Overlay,
  services: readonly ServiceRef[],
): { matches: Array<{ index: number; entry: Json; target: ServiceRef }> } {
  const issues: ScenarioIssue[] = [];
  const matches: Array<{ index: number; entry: Json; target: ServiceRef }> = [];
  objs(overlay.data.services).forEach((entry, index) => {
    const name = str(entry.name) ?? '';
    const ns = str(entry.namespace);
    const found = services.filter((s) => s.name === name && (ns === undefined || s.namespace === ns));
    const path = `services[${index}]`;
    if (found.length === 1) {
      matches.push({ index, entry, target: found[0]! });
      return;
    }
    const expected =
      found.length === 0
        ? `an imported service: ${services.map((s) => `${s.namespace}/${s.name}`).join(', ')}`
        : `a namespace to tell ${found.map((s) => `${s.namespace}/${s.name}`).join(' and ')} apart`;
    issues.push({
      file: overlay.file,
      ...overlay.locate(['services', index]),
      path: `${path}.name`,
      found: name,
      expected,
      message: `found "${name}", expected ${expected}`,
    });
  });
  for (const entry of objs(overlay.data.services)) {
    for (const k of Object.keys(entry))
      if (!['name', 'namespace', ...OVERLAY_SERVICE_FIELDS].includes(k)) {
        const index = objs(overlay.data.services).indexOf(entry);
        const expected = `one of ${OVERLAY_SERVICE_FIELDS.join(', ')}`;
        issues.push({
          file: overlay.file,
          ...overlay.locate(['services', index, k]),
          path: `services[${index}].${k}`,
          found: k,
          expected,
          message: `unknown field "${k}", expected ${expected}`,
        });
      }
  }
  if (issues.length > 0) throw new ScenarioError(issues);
  return { matches };
}
