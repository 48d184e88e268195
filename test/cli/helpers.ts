// Running the command line as a user does: a subprocess, its exit code, stdout and stderr.
import { type SpawnSyncOptions, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const QUICKSTART = 'scenarios/quickstart.yaml';
/**
 * The bin, as a user runs it: the compiled bundle when it is current (CI builds it in `npm ci`), else the
 * TypeScript sources under tsx (bin/meshsim.mjs decides), so a test never runs stale code. The bundle
 * starts in 0.7 s where tsx takes 1.9 s (`validate` of quickstart), and the command-line tests start it
 * dozens of times (test/cli, import and io: 160 s of test time against 231 s in the CI run before).
 */
export const ENTRY = ['bin/meshsim.mjs'];

export interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function meshsim(args: string[], o: SpawnSyncOptions = {}): Outcome {
  return run(process.execPath, [...ENTRY, ...args], o);
}

export function run(command: string, args: string[], o: SpawnSyncOptions = {}): Outcome {
  const r = spawnSync(command, args, {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    ...o,
    env: { ...process.env, MESHSIM_DEBUG: '', NO_COLOR: '1', ...o.env },
  });
  return { code: r.status, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}

/** A user's error: exit 2, one line on stderr starting "meshsim: ", no stack, never "a bug". */
export function expectOneLineError(o: Outcome, ...mentions: string[]): void {
  expect(o.code, o.stderr).toBe(2);
  const lines = o.stderr.trimEnd().split('\n');
  expect(lines.length, o.stderr).toBe(1);
  expect(lines[0]).toMatch(/^meshsim: /);
  for (const m of mentions) expect(lines[0]).toContain(m);
  expect(o.stderr).not.toMatch(/internal error|bug in meshsim|\n\s+at /);
}
