// The benchmarks time the simulator as `meshsim run` runs it: compiled by esbuild into bundles
// (scripts/esbuild-options.mjs, the options of the bin's build), not module by module as tsx loads the
// sources, which ran huge's 2.3-second cut on 2 workers in 79.8 s against 73.7-77.3 s bundled, the same
// events (docs/scale.md): a benchmark of the sources under tsx times a slower program than users run.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { bundleOptions } from '../scripts/esbuild-options.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Bundles the one-case benchmark scripts and the replication pool's worker into dist/bench/ (two
 * directories deep, as the sources and the bin's bundle are, so `new URL(...)` references resolve
 * alike); returns the directory, relative to the repository root.
 */
export async function bundleBench(): Promise<string> {
  const outdir = 'dist/bench';
  rmSync(`${root}/${outdir}`, { recursive: true, force: true });
  await build(
    bundleOptions(
      root,
      {
        'mesh-one': 'bench/mesh-one.ts',
        'run-one': 'bench/run-one.ts',
        'sim-one': 'bench/sim-one.ts',
        // run-pool.ts starts its workers from ./replication-worker.mjs beside itself.
        'replication-worker': 'src/simulate/replication-worker.ts',
      },
      `${root}/${outdir}`,
    ),
  );
  return outdir;
}
