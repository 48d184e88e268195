#!/usr/bin/env node
// meshsim's bin. It runs the compiled bundle that `npm install` builds (scripts/build.mjs, through the
// `prepare` script): plain JavaScript that starts at once. In a checkout whose sources changed since
// that build (a developer editing src/), or one never built, it runs the TypeScript sources through
// tsx's loader instead, slower to start but never out of date.
import { fileURLToPath } from 'node:url';
import { bundleIsCurrent } from './bundle-current.mjs';
import { runWithHugePages, wantsHugePages } from './huge-pages.mjs';

const root = new URL('../', import.meta.url);
const argv = process.argv.slice(2);

if (wantsHugePages(argv)) {
  // A simulating command runs again with malloc asking for huge pages (huge-pages.mjs says why).
  process.exitCode = await runWithHugePages(fileURLToPath(import.meta.url), argv);
} else if (bundleIsCurrent(root)) {
  await import('../dist/meshsim/main.mjs');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
