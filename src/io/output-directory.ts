// A directory of outputs (a report: index.html, charts, results.json) that appears whole or not at all.
// Files are staged in a fresh hidden directory beside the target, created exclusively when the output is
// opened (so an unwritable place fails before any simulation); commit swaps it in under a lock
// (proper-lockfile: an mkdir lock with stale detection), so two runs writing the same directory at once
// leave one run's complete set, never a mix, and a run killed midway leaves only a hidden temporary that
// the next run removes, never an index-less folder.
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { EnvironmentError, environmentError, isEnvironmentErrno, reasonOf } from './errors.ts';
import { makeDirectory } from './make-directory.ts';
import { cleanStaleTemporaries, temporaryName } from './temporary.ts';

/** Marks a directory as meshsim's to replace whole; a directory without it (and not empty) is refused. */
export const OUTPUT_MARKER = '.meshsim-output';
const MARKER_TEXT = 'Written by meshsim. The next run writing here replaces this whole directory.\n';

export interface OutputDirectory {
  readonly path: string;
  /** Where to write the files before commit. */
  readonly staging: string;
  /**
   * Runs `write` on the staging directory; a failure of the environment inside it (a full disk) is
   * reported against this output, not against the temporary path it happened at.
   */
  fill(write: (staging: string) => Promise<void> | void): Promise<void>;
  commit(): Promise<void>;
  discard(): void;
}

/** `label` names where the path came from (e.g. "--report reports/x"), for messages. */
export function openOutputDirectory(path: string, label = path): OutputDirectory {
  const target = followNamed(resolve(path));
  if (target === dirname(target)) throw new EnvironmentError(`${label}: cannot replace the root directory`);
  checkReplaceable(target, label);
  const parent = dirname(target);
  try {
    makeDirectory(parent);
  } catch (e) {
    throw environmentError(`${label}: cannot create directory ${parent}`, e);
  }
  cleanStaleTemporaries(parent);
  const staging = join(parent, temporaryName(target));
  try {
    mkdirSync(staging);
  } catch (e) {
    throw environmentError(`${label}: cannot write in ${parent}`, e);
  }
  const discard = () => rmSync(staging, { recursive: true, force: true });
  return {
    path,
    staging,
    discard,
    async fill(write) {
      try {
        await write(staging);
      } catch (e) {
        const reason =
          e instanceof EnvironmentError ? e.reason : isEnvironmentErrno(e) ? reasonOf(e) : undefined;
        if (reason === undefined) throw e;
        discard();
        throw new EnvironmentError(`${label}: cannot write ${path}: ${reason}`, reason);
      }
    },
    async commit() {
      try {
        writeFileSync(join(staging, OUTPUT_MARKER), MARKER_TEXT);
        await swapIn(staging, target, label);
      } catch (e) {
        discard();
        throw environmentError(`${label}: cannot write ${path}`, e);
      }
    },
  };
}

/**
 * A symlink the user named as the output (reports -> /data/reports) stands for its directory: the swap
 * happens there, and the link stays.
 */
function followNamed(target: string): string {
  try {
    return lstatSync(target).isSymbolicLink() ? realpathSync(target) : target;
  } catch {
    return target;
  }
}

/** Empty, absent, or written by meshsim before (a marker, or a report index.html from older versions). */
function checkReplaceable(target: string, label: string): void {
  let entries: string[];
  try {
    const st = lstatSync(target);
    if (!st.isDirectory()) throw new EnvironmentError(`${label}: ${target} exists and is not a directory`);
    entries = readdirSync(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw environmentError(`${label}: cannot use ${target}`, e);
  }
  if (entries.length === 0 || entries.includes(OUTPUT_MARKER) || olderReport(target, entries)) return;
  throw new EnvironmentError(
    `${label}: ${target} already holds files meshsim did not write; ` +
      'give a new or empty directory (meshsim replaces its output directory as a whole)',
  );
}

function olderReport(target: string, entries: string[]): boolean {
  if (!entries.includes('index.html')) return false;
  try {
    return readFileSync(join(target, 'index.html'), 'utf8').slice(0, 4096).includes('meshsim report');
  } catch {
    return false;
  }
}

async function swapIn(staging: string, target: string, label: string): Promise<void> {
  const parent = dirname(target);
  // Loaded here, not at start-up: only a command that writes a directory needs it.
  const { default: lockfile } = await import('proper-lockfile');
  const release = await lockfile
    .lock(target, {
      realpath: false,
      lockfilePath: join(parent, `.${basename(target)}.meshsim.lock`),
      stale: 10_000,
      retries: { retries: 60, minTimeout: 50, maxTimeout: 1_000 },
    })
    .catch((e: unknown) => {
      throw environmentError(`${label}: another meshsim is still writing ${target}`, e);
    });
  try {
    // Checked again under the lock: another program may have filled the directory meanwhile.
    checkReplaceable(target, label);
    const old = existsSync(target) ? join(parent, temporaryName(target, 'old')) : undefined;
    if (old) renameSync(target, old);
    try {
      renameSync(staging, target);
    } catch (e) {
      if (old) renameSync(old, target);
      throw e;
    }
    if (old) rmSync(old, { recursive: true, force: true });
  } finally {
    await release();
  }
}
