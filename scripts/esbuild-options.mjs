// How meshsim's code is compiled for running (scripts/build.mjs for the bin, bench/bundle.ts for the
// benchmarks): each entry point with everything it imports from the repository in one scope, npm
// packages left external. Bundled, the simulation ran 3-8 % faster than module by module as tsx loads the
// sources (docs/scale.md), the same bytes; esbuild's keep-names and minification, which tsx applies, made
// no difference, so the module boundaries are the likely cause (each use of an imported binding re-reads
// it).

/** esbuild's options for `entryPoints` (name -> source) into `outdir`, relative to the repository root. */
export function bundleOptions(root, entryPoints, outdir) {
  return {
    absWorkingDir: root,
    entryPoints,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outExtension: { '.js': '.mjs' },
    chunkNames: '[name]-[hash]',
    legalComments: 'none',
    logLevel: 'warning',
  };
}
