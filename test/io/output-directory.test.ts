import { spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  EnvironmentError,
  isStaleTemporary,
  OUTPUT_MARKER,
  openOutputDirectory,
} from '../../src/io/index.ts';

const tmp = mkdtempSync(join(tmpdir(), 'meshsim-iodir-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const fresh = () => {
  const d = join(tmp, `p${n++}`);
  mkdirSync(d);
  return d;
};

async function writeSet(target: string, files: Record<string, string>): Promise<void> {
  const out = openOutputDirectory(target);
  await out.fill((dir) => {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  });
  await out.commit();
}

describe('openOutputDirectory', () => {
  it('nothing appears at the target until commit, then the whole set at once', async () => {
    const target = join(fresh(), 'report');
    const out = openOutputDirectory(target);
    await out.fill((dir) => writeFileSync(join(dir, 'index.html'), '<p>one</p>'));
    expect(existsSync(target)).toBe(false);
    await out.commit();
    expect(readdirSync(target).sort()).toEqual([OUTPUT_MARKER, 'index.html']);
  });

  it("a second run replaces the first run's files instead of mixing with them", async () => {
    const target = join(fresh(), 'report');
    await writeSet(target, { 'index.html': 'A', 'a-only.svg': 'A' });
    await writeSet(target, { 'index.html': 'B', 'b-only.svg': 'B' });
    expect(readdirSync(target).sort()).toEqual([OUTPUT_MARKER, 'b-only.svg', 'index.html']);
    expect(readFileSync(join(target, 'index.html'), 'utf8')).toBe('B');
  });

  it('two runs committing at once leave one complete set, never a mix, and no lock or temporary', async () => {
    const parent = fresh();
    const target = join(parent, 'report');
    const sets = Array.from({ length: 6 }, (_, i) =>
      Object.fromEntries(
        ['index.html', 'cpu.svg', 'results.json', `only-${i}.png`].map((f) => [f, `run ${i}`]),
      ),
    );
    await Promise.all(sets.map((s) => writeSet(target, s)));
    const files = readdirSync(target).sort();
    const winner = files.find((f) => f.startsWith('only-'))!;
    const i = Number(winner.slice(5, -4));
    expect(files).toEqual([OUTPUT_MARKER, 'cpu.svg', 'index.html', winner, 'results.json'].sort());
    for (const f of files.filter((x) => x !== OUTPUT_MARKER))
      expect(readFileSync(join(target, f), 'utf8')).toBe(`run ${i}`);
    expect(readdirSync(parent)).toEqual(['report']);
  });

  it('refuses a directory holding files meshsim did not write, before anything is written', () => {
    const target = join(fresh(), 'mine');
    mkdirSync(target);
    writeFileSync(join(target, 'notes.txt'), 'mine');
    expect(() => openOutputDirectory(target, '--report mine')).toThrow(EnvironmentError);
    expect(() => openOutputDirectory(target, '--report mine')).toThrow(/^--report mine: .* did not write/);
    expect(readdirSync(target)).toEqual(['notes.txt']);
  });

  it('accepts an empty directory and a report of an earlier meshsim (no marker, its index.html)', async () => {
    const empty = join(fresh(), 'empty');
    mkdirSync(empty);
    await writeSet(empty, { 'index.html': 'x' });
    const older = join(fresh(), 'older');
    mkdirSync(older);
    writeFileSync(join(older, 'index.html'), '<title>meshsim report: quickstart</title>');
    writeFileSync(join(older, 'cpu.svg'), 'old');
    await writeSet(older, { 'index.html': 'new' });
    expect(readdirSync(older).sort()).toEqual([OUTPUT_MARKER, 'index.html']);
  });

  it('a file where the directory should be is an EnvironmentError', () => {
    const target = join(fresh(), 'file');
    writeFileSync(target, 'x');
    expect(() => openOutputDirectory(target, '--report file')).toThrow(
      /--report file: .* is not a directory/,
    );
  });

  it('a report killed midway leaves no index-less folder, and its staging is cleaned by the next run', async () => {
    const parent = fresh();
    const target = join(parent, 'report');
    const script = `
      import { writeFileSync } from 'node:fs';
      import { openOutputDirectory } from ${JSON.stringify(new URL('../../src/io/index.ts', import.meta.url).href)};
      const out = openOutputDirectory(${JSON.stringify(target)});
      writeFileSync(out.staging + '/cpu.svg', '<svg');
      process.kill(process.pid, 'SIGKILL');`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
    expect(r.signal).toBe('SIGKILL');
    const left = readdirSync(parent);
    expect(left).toHaveLength(1);
    expect(left[0]).toMatch(/^\.report\.meshsim-\d+-[0-9a-f]{16}-[0-9a-f]{8}\.tmp$/);
    expect(isStaleTemporary(left[0]!)).toBe(true);
    await writeSet(target, { 'index.html': 'whole' });
    expect(readdirSync(parent)).toEqual(['report']);
  });
});

describe('a symlink named as the output directory', () => {
  it('stands for its directory: the report is swapped in there and the link stays', async () => {
    const parent = fresh();
    const real = join(parent, 'real');
    mkdirSync(real);
    const link = join(parent, 'link');
    symlinkSync(real, link);
    await writeSet(link, { 'index.html': 'x' });
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readdirSync(real).sort()).toEqual([OUTPUT_MARKER, 'index.html']);
  });
});
