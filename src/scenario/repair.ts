// So that one run reports every problem: when the schema rejects parts of a file, those parts are removed
// and the rest is checked for cross-reference problems too (an unknown call target, a missing namespace),
// which a user would otherwise only meet after fixing the first batch.
import type { PendingIssue } from './pending.ts';

/** A copy of `data` without the values at the issues' paths; null when that cannot help (root, array items). */
export function withoutRejected(data: unknown, issues: readonly PendingIssue[]): unknown {
  const copy = structuredClone(data);
  for (const issue of issues) {
    const path = issue.path;
    const last = path.at(-1);
    if (last === undefined || typeof last === 'number') return null;
    let node: unknown = copy;
    for (const key of path.slice(0, -1)) {
      node =
        node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined;
    }
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return null;
    delete (node as Record<PropertyKey, unknown>)[last];
  }
  return copy;
}

/** Whether `path` lies inside (or is) one of the removed paths. */
export function insideRemoved(path: readonly PropertyKey[], removed: readonly PendingIssue[]): boolean {
  return removed.some(
    (r) => r.path.length <= path.length && r.path.every((k, i) => String(k) === String(path[i])),
  );
}
