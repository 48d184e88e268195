// Names of the temporaries meshsim stages its outputs in, and the cleaning of ones a killed run left.
// A temporary lives beside its target (so the final rename stays on one file system), is hidden, carries
// the writer's pid (so a later run can tell a dead writer's leftovers from a live one's) and 64 random
// bits (so no other user can predict the name and plant a symlink there first).
import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';

const PATTERN = /^\..+\.meshsim-(\d+)-[0-9a-f]{16}\.(tmp|old)$/;

export function temporaryName(target: string, kind: 'tmp' | 'old' = 'tmp'): string {
  return `.${basename(target)}.meshsim-${process.pid}-${randomBytes(8).toString('hex')}.${kind}`;
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A temporary of this naming whose writer is gone: what a run killed mid-write (kill -9) leaves. */
export function isStaleTemporary(name: string): boolean {
  const m = PATTERN.exec(name);
  return m !== null && !alive(Number(m[1]));
}

const cleaned = new Set<string>();

/**
 * Removes dead writers' temporaries from `dir` (once per directory and process). Best effort: a
 * directory we cannot list or an entry another run removes first is not an error. `rmSync` removes a
 * symlink itself, never what it points to.
 */
export function cleanStaleTemporaries(dir: string): void {
  if (cleaned.has(dir)) return;
  cleaned.add(dir);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names)
    if (isStaleTemporary(name)) rmSync(join(dir, name), { recursive: true, force: true });
}
