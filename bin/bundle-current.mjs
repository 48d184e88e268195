// Whether the compiled bundle (dist/meshsim/, scripts/build.mjs) is at least as new as every source it
// was built from. bin/meshsim.mjs runs the bundle only then; test/cli/build.test.ts rebuilds it only when
// not, so a rebuild never replaces a bundle that a concurrently started bin has chosen to run.
import { existsSync, readdirSync, statSync } from 'node:fs';

function newestSource(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = new URL(e.isDirectory() ? `${e.name}/` : e.name, dir);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (e.name.endsWith('.ts') || e.name.endsWith('.mjs'))
      newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** `root`: the repository's root as a file URL ending in a slash. */
export function bundleIsCurrent(root) {
  const built = new URL('dist/meshsim/BUILT', root);
  if (!existsSync(built)) return false;
  const at = statSync(built).mtimeMs;
  const sources = ['src/', 'sim/'].map((d) => new URL(d, root)).filter((d) => existsSync(d));
  return sources.every((d) => newestSource(d) <= at);
}
