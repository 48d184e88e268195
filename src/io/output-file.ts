// One output file, replaced atomically. The temporary is reserved when the output is opened, before any
// simulation, so an unwritable destination (read-only disk, a file where a directory should be, no
// permission) is reported at once rather than after minutes of work; it is created with O_EXCL and
// O_NOFOLLOW under an unpredictable name, so a symlink planted at its path is refused, never followed.
// write-file-atomic (npm's) was not used: it opens its temporary with plain 'w' (no O_EXCL, follows a
// symlink) under a name derived from the pid and a counter, and writes through a symlink at the target.
import { closeSync, constants, fsyncSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { environmentError } from './errors.ts';
import { makeDirectory } from './make-directory.ts';
import { cleanStaleTemporaries, temporaryName } from './temporary.ts';

export interface OutputFile {
  readonly path: string;
  /** Writes the data and renames it over the target. */
  commit(data: string | Uint8Array): void;
  /** Removes the reserved temporary (an error or interruption before commit). */
  discard(): void;
}

const EXCLUSIVE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/** Creates `path` as a new file; fails (EEXIST) if anything, a symlink included, is already there. */
export function createExclusive(path: string): number {
  return openSync(path, EXCLUSIVE, 0o666);
}

/** `label` names where the path came from (e.g. "--out reports/x"), for messages. */
export function openOutputFile(path: string, label = path): OutputFile {
  const dir = dirname(path);
  try {
    makeDirectory(dir);
  } catch (e) {
    throw environmentError(`${label}: cannot create directory ${dir}`, e);
  }
  if (isDirectory(path)) throw environmentError(`${label}: cannot write ${path}`, { code: 'EISDIR' });
  cleanStaleTemporaries(dir);
  const tmp = join(dir, temporaryName(path));
  let fd: number;
  try {
    fd = createExclusive(tmp);
  } catch (e) {
    throw environmentError(`${label}: cannot write in ${dir}`, e);
  }
  let open = true;
  const close = () => {
    if (open) closeSync(fd);
    open = false;
  };
  return {
    path,
    commit(data) {
      try {
        const bytes = typeof data === 'string' ? Buffer.from(data) : data;
        for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
        fsyncSync(fd);
        close();
        renameSync(tmp, path);
      } catch (e) {
        close();
        rmSync(tmp, { force: true });
        throw environmentError(`${label}: cannot write ${path}`, e);
      }
    },
    discard() {
      close();
      rmSync(tmp, { force: true });
    },
  };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Writes `data` to `path` atomically: readers see the old file or the whole new one, never a part. */
export function writeFileAtomic(path: string, data: string | Uint8Array, label?: string): void {
  openOutputFile(path, label).commit(data);
}
