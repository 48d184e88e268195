import type { BuildOptions } from 'esbuild';

/** esbuild's options for `entryPoints` (name -> source) into `outdir`, relative to the repository root. */
export function bundleOptions(
  root: string,
  entryPoints: Record<string, string>,
  outdir: string,
): BuildOptions;
