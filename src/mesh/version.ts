// Comparing Istio minor versions ("1.26" < "1.28"): the behaviour a scenario gets follows `mesh.version`.

function parts(version: string): [number, number] {
  const m = /^(\d+)\.(\d+)/.exec(version);
  if (!m) throw new Error(`internal: not an Istio version: ${version}`);
  return [Number(m[1]), Number(m[2])];
}

/** Compares two versions: negative, 0 or positive as `a` is older than, equal to or newer than `b`. */
export function compareVersions(a: string, b: string): number {
  const [am, an] = parts(a);
  const [bm, bn] = parts(b);
  return am !== bm ? am - bm : an - bn;
}

/** True when `version` is `min` or newer. */
export function atLeast(version: string, min: string): boolean {
  return compareVersions(version, min) >= 0;
}

/** Minor releases between two versions (1.26 -> 1.28 is 2). */
export function minorsBetween(from: string, to: string): number {
  const [fm, fn] = parts(from);
  const [tm, tn] = parts(to);
  if (fm !== tm) throw new Error(`internal: major versions differ: ${from} -> ${to}`);
  return tn - fn;
}
