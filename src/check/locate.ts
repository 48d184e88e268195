// file:line of the objects a scenario rule reports: in the scenario text when checking a scenario, in the
// manifests when checking imported manifests.
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Inventory } from '../import/index.ts';
import { namespaceOf, str } from '../import/index.ts';
import type { FindingObject } from './finding.ts';

type Kind = 'service' | 'waypoint' | 'namespace' | 'traffic' | 'daemonSet';
const LIST: Record<Kind, string[]> = {
  service: ['services'],
  waypoint: ['waypoints'],
  namespace: ['namespaces'],
  traffic: ['traffic'],
  daemonSet: ['cluster', 'daemonSets'],
};
const KIND: Record<Kind, string> = {
  service: 'Service',
  waypoint: 'Waypoint',
  namespace: 'Namespace',
  traffic: 'EntryPoint',
  daemonSet: 'DaemonSet',
};

/** Kinds keyed `namespace/name`. */
const NAMESPACED = new Set<Kind>(['service', 'daemonSet']);

function split(kind: Kind, key: string): { name: string; namespace?: string } {
  if (!NAMESPACED.has(kind)) return { name: key };
  const [ns, name] = key.split('/') as [string, string];
  return { name, namespace: ns };
}

export function scenarioLocator(file: string, text: string | undefined) {
  const lines = new LineCounter();
  const doc = text === undefined ? undefined : parseDocument(text, { lineCounter: lines });
  // Each kind's list indexed once, on its first lookup: rules locate every service (5,000 on huge), and a
  // scan of the list per lookup, reading each item whole, took half a minute before huge could run.
  const index = new Map<Kind, Map<string, number>>();
  const offsets = (kind: Kind): Map<string, number> => {
    let at = index.get(kind);
    if (at) return at;
    at = new Map();
    const list = doc?.getIn(LIST[kind], true);
    for (const item of isSeq(list) ? list.items : []) {
      if (!isMap(item) || item.range?.[0] === undefined) continue;
      const name = item.get('name');
      if (typeof name !== 'string') continue;
      const key = NAMESPACED.has(kind) ? `${str(item.get('namespace')) ?? 'default'}/${name}` : name;
      // The first object of a name is where it is written, as a reader scanning the file finds it.
      if (!at.has(key)) at.set(key, item.range[0]);
    }
    index.set(kind, at);
    return at;
  };
  return (kind: Kind, key: string): FindingObject => {
    const { name, namespace } = split(kind, key);
    const base: FindingObject = { kind: KIND[kind], name, ...(namespace ? { namespace } : {}), file };
    const offset = offsets(kind).get(NAMESPACED.has(kind) ? `${namespace}/${name}` : name);
    return offset === undefined ? base : { ...base, line: lines.linePos(offset).line };
  };
}

export function manifestLocator(inv: Inventory) {
  return (kind: Kind, key: string): FindingObject => {
    const { name, namespace } = split(kind, key);
    const m =
      kind === 'service'
        ? (inv.services.find((s) => s.name === name && s.namespace === namespace)?.manifest ??
          inv.workloads.find((w) => w.name === name && w.namespace === namespace)?.manifest)
        : kind === 'namespace'
          ? inv.of('Namespace').find((x) => x.name === name)
          : kind === 'waypoint'
            ? inv.of('Gateway').find((x) => x.name === name)
            : kind === 'daemonSet'
              ? inv.workloads.find(
                  (w) => w.kind === 'DaemonSet' && w.name === name && w.namespace === namespace,
                )?.manifest
              : undefined;
    if (!m) return { kind: KIND[kind], name, ...(namespace ? { namespace } : {}) };
    return {
      kind: m.kind,
      name: m.name,
      ...(m.kind !== 'Namespace' ? { namespace: namespaceOf(m) } : {}),
      file: m.source.file,
      line: m.source.line,
    };
  };
}
