#!/usr/bin/env node
// meshsim's bin. It runs the compiled bundle that `npm install` builds (scripts/build.mjs, through the
// `prepare` script): plain JavaScript that starts at once. In a checkout whose sources changed since
// that build (a developer editing src/), or one never built, it runs the TypeScript sources through
// tsx's loader instead, slower to start but never out of date.
import { existsSync, readdirSync, statSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const built = new URL('dist/meshsim/BUILT', root);

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

function bundleIsCurrent() {
  if (!existsSync(built)) return false;
  const at = statSync(built).mtimeMs;
  const sources = ['src/', 'sim/'].map((d) => new URL(d, root)).filter((d) => existsSync(d));
  return sources.every((d) => newestSource(d) <= at);
}

if (bundleIsCurrent()) {
  await import('../dist/meshsim/main.mjs');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
