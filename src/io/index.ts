export { EnvironmentError, environmentError, errnoCode, isEnvironmentErrno, reasonOf } from './errors.ts';
export { makeDirectory } from './make-directory.ts';
export { OUTPUT_MARKER, type OutputDirectory, openOutputDirectory } from './output-directory.ts';
export { createExclusive, type OutputFile, openOutputFile, writeFileAtomic } from './output-file.ts';
export { cleanStaleTemporaries, isStaleTemporary, temporaryName } from './temporary.ts';
