// Names of the temporaries meshsim stages its outputs in, and the cleaning of ones a killed run left.
// A temporary lives beside its target (so the final rename stays on one file system), is hidden, carries
// the writer's pid (so a later run can tell a dead writer's leftovers from a live one's), 64 random bits
// (so no other user can predict the name and plant a symlink there first) and a tag of the writer's host:
// a pid says nothing about a process on another machine or in another container (the shares of a sharded
// plan write into one directory on a shared volume), so only this host's temporaries are judged by pid.
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';

/** The host tag is absent from the names of earlier versions, which are judged by pid as before. */
const PATTERN = /^\..+\.meshsim-(\d+)-[0-9a-f]{16}(?:-([0-9a-f]{8}))?\.(tmp|old)$/;

const HOST = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);

export function temporaryName(target: string, kind: 'tmp' | 'old' = 'tmp'): string {
  return `.${basename(target)}.meshsim-${process.pid}-${randomBytes(8).toString('hex')}-${HOST}.${kind}`;
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

/**
 * A temporary of this naming, written on this host, whose writer is gone: what a run killed mid-write
 * (kill -9) leaves. Another host's temporaries are never judged stale.
 */
export function isStaleTemporary(name: string): boolean {
  const m = PATTERN.exec(name);
  return m !== null && (m[2] === undefined || m[2] === HOST) && !alive(Number(m[1]));
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
