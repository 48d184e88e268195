// Label selectors as NetworkPolicy and PDB use them: an empty selector selects every pod.
import type { Json } from '../import/index.ts';
import { obj, objs } from '../import/index.ts';

export function selectsPod(selector: Json, labels: Record<string, string>): boolean {
  const ml = obj(selector.matchLabels);
  const ex = objs(selector.matchExpressions);
  if (Object.keys(ml).length === 0 && ex.length === 0) return true;
  for (const [k, v] of Object.entries(ml)) if (labels[k] !== String(v)) return false;
  for (const e of ex) {
    const key = String(e.key ?? '');
    const values = Array.isArray(e.values) ? e.values.map(String) : [];
    const has = key in labels;
    if (e.operator === 'In' && !(has && values.includes(labels[key]!))) return false;
    if (e.operator === 'NotIn' && has && values.includes(labels[key]!)) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}
