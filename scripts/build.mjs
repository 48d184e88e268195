// The compiled command line: `npm install` runs this through the `prepare` script, so the installed
// bin runs plain JavaScript and starts at once (tsx compiling TypeScript on every start took 1-2 s).
// esbuild bundles src/cli/main.ts and the plan's worker into dist/meshsim/, splitting what only some
// commands need into chunks loaded on demand. npm packages stay external (node_modules). The bundle
// sits two directories deep, as the sources do, so their `new URL('../../package.json',
// import.meta.url)`-style references resolve to the same files from either place.
import { rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { bundleOptions } from './esbuild-options.mjs';

const root = new URL('../', import.meta.url);
const outdir = new URL('dist/meshsim/', root).pathname;

rmSync(outdir, { recursive: true, force: true });
await build(
  bundleOptions(
    root.pathname,
    {
      main: 'src/cli/main.ts',
      worker: 'src/plan/worker.ts',
      'replication-worker': 'src/simulate/replication-worker.ts',
    },
    outdir,
  ),
);
// Marks the build finished: bin/meshsim.mjs compares its time with the sources'.
writeFileSync(new URL('BUILT', `file://${outdir}`), `${new Date().toISOString()}\n`);
