// The compiled command line that `npm install` builds (the `prepare` script) and the bin runs: it must
// behave as the TypeScript sources do, plan workers included.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleIsCurrent } from '../../bin/bundle-current.mjs';
import { QUICKSTART, ROOT, run } from './helpers.ts';

const tmp = mkdtempSync(join(tmpdir(), 'meshsim-build-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const BUNDLE = join(ROOT, 'dist/meshsim/main.mjs');
const built = (args: string[]) => run(process.execPath, [BUNDLE, ...args]);

// Rebuilt only when stale (CI's `npm ci` has just built it): the command-line tests running beside this
// file start the bin, which may have chosen this very bundle (bin/bundle-current.mjs).
beforeAll(() => {
  if (bundleIsCurrent(pathToFileURL(ROOT))) return;
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
});

describe('the compiled bundle', () => {
  it('prints the version and validates a scenario', () => {
    const v = built(['--version']);
    expect(v.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    const o = built(['validate', QUICKSTART]);
    expect(o.code, o.stderr).toBe(0);
    expect(o.stdout).toMatch(/quickstart\.yaml: valid/);
  });

  it('gives the same results JSON as the TypeScript sources', () => {
    const args = ['run', QUICKSTART, '--duration', '3s', '--replications', '1', '--json'];
    const fromBundle = built(args);
    const fromSources = run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args]);
    expect(fromBundle.code, fromBundle.stderr).toBe(0);
    expect(fromBundle.stdout).toBe(fromSources.stdout);
  });

  it('runs a plan on two worker threads (the bundled worker)', () => {
    const o = built([
      'plan',
      QUICKSTART,
      '--duration',
      '3s',
      '--replications',
      '1',
      '--types',
      'm5.xlarge',
      '--arch',
      'none,ambient',
      '--workers',
      '2',
      '--json',
    ]);
    expect(o.code, o.stderr).toBe(0);
    expect(JSON.parse(o.stdout).schema).toBe('meshsim/plan/v1');
  });

  it('the bin runs the bundle when it is current', () => {
    const o = run(process.execPath, ['bin/meshsim.mjs', '--version'], {
      env: { NODE_DEBUG: 'esm' },
    });
    expect(o.code, o.stderr).toBe(0);
    expect(o.stderr).toContain('dist/meshsim/main.mjs');
    expect(o.stderr).not.toContain('src/cli/main.ts');
  });
});
