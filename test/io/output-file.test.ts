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
  createExclusive,
  EnvironmentError,
  isStaleTemporary,
  openOutputFile,
  temporaryName,
  writeFileAtomic,
} from '../../src/io/index.ts';

const tmp = mkdtempSync(join(tmpdir(), 'meshsim-io-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const fresh = () => {
  const d = join(tmp, `d${n++}`);
  mkdirSync(d);
  return d;
};

/** The pid of a process that has exited: a writer killed with kill -9 looks like this. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(r.stdout);
}

describe('writeFileAtomic', () => {
  it('writes the file whole and leaves no temporary', () => {
    const d = fresh();
    writeFileAtomic(join(d, 'a', 'results.json'), '{"x":1}\n');
    expect(readFileSync(join(d, 'a', 'results.json'), 'utf8')).toBe('{"x":1}\n');
    expect(readdirSync(join(d, 'a'))).toEqual(['results.json']);
  });

  it('replaces a symlink at the target instead of writing through it', () => {
    const d = fresh();
    const victim = join(d, 'victim');
    writeFileSync(victim, 'precious\n');
    symlinkSync(victim, join(d, 'results.json'));
    writeFileAtomic(join(d, 'results.json'), 'new\n');
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(lstatSync(join(d, 'results.json')).isSymbolicLink()).toBe(false);
    expect(readFileSync(join(d, 'results.json'), 'utf8')).toBe('new\n');
  });

  it('refuses a directory at the target with an EnvironmentError naming it', () => {
    const d = fresh();
    mkdirSync(join(d, 'results.json'));
    expect(() => writeFileAtomic(join(d, 'results.json'), 'x', '--out here')).toThrow(EnvironmentError);
    expect(() => writeFileAtomic(join(d, 'results.json'), 'x', '--out here')).toThrow(
      /^--out here: cannot write .*results\.json: is a directory \(EISDIR\)$/,
    );
  });
});

describe('temporaries', () => {
  it('are hidden, carry the pid, 64 random bits and a host tag, and never repeat', () => {
    const names = Array.from({ length: 200 }, () => temporaryName('/x/results.json'));
    for (const name of names)
      expect(name).toMatch(
        new RegExp(`^\\.results\\.json\\.meshsim-${process.pid}-[0-9a-f]{16}-[0-9a-f]{8}\\.tmp$`),
      );
    expect(new Set(names).size).toBe(names.length);
  });

  it('are created exclusively: a symlink planted at the name is refused, never followed', () => {
    const d = fresh();
    const victim = join(d, 'victim');
    writeFileSync(victim, 'precious\n');
    const planted = join(d, temporaryName(join(d, 'results.json')));
    symlinkSync(victim, planted);
    expect(() => createExclusive(planted)).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    const dangling = join(d, temporaryName(join(d, 'results.json')));
    symlinkSync(join(d, 'nowhere'), dangling);
    expect(() => createExclusive(dangling)).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    expect(existsSync(join(d, 'nowhere'))).toBe(false);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
  });

  it("a dead writer's temporaries are removed by the next write there; a live writer's are kept", () => {
    const d = fresh();
    const dead = deadPid();
    const stale = `.results.json.meshsim-${dead}-0123456789abcdef.tmp`;
    const staleDir = `.report.meshsim-${dead}-fedcba9876543210.tmp`;
    const live = `.results.json.meshsim-${process.pid}-00112233445566ff.tmp`;
    writeFileSync(join(d, stale), 'half a fi');
    mkdirSync(join(d, staleDir));
    writeFileSync(join(d, staleDir, 'cpu.svg'), '<svg');
    writeFileSync(join(d, live), 'being written');
    expect(isStaleTemporary(stale)).toBe(true);
    expect(isStaleTemporary(live)).toBe(false);
    expect(isStaleTemporary('.results.json.tmp')).toBe(false);
    // Written on another host (another pod on a shared volume): its pid means nothing here, so it is kept.
    const here = temporaryName(join(d, 'results.json')).slice(-12, -4);
    const elsewhere = `.results.json.meshsim-${dead}-0123456789abcdef-${here === '00000000' ? '11111111' : '00000000'}.tmp`;
    const ours = `.results.json.meshsim-${dead}-0123456789abcdef-${here}.tmp`;
    writeFileSync(join(d, elsewhere), 'another pod');
    writeFileSync(join(d, ours), 'half');
    expect(isStaleTemporary(elsewhere)).toBe(false);
    expect(isStaleTemporary(ours)).toBe(true);
    writeFileAtomic(join(d, 'results.json'), 'whole\n');
    expect(readdirSync(d).sort()).toEqual([elsewhere, live, 'results.json'].sort());
  });

  it('an output opened and discarded (an error before commit) leaves nothing', () => {
    const d = fresh();
    const out = openOutputFile(join(d, 'plan.json'));
    expect(readdirSync(d)).toHaveLength(1);
    out.discard();
    expect(readdirSync(d)).toEqual([]);
  });

  it('killed with SIGKILL mid-write, a writer leaves only a hidden temporary, never the target', () => {
    const d = fresh();
    const script = `
      import { openOutputFile } from ${JSON.stringify(new URL('../../src/io/index.ts', import.meta.url).href)};
      openOutputFile(${JSON.stringify(join(d, 'results.json'))});
      process.kill(process.pid, 'SIGKILL');`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
    expect(r.signal).toBe('SIGKILL');
    const left = readdirSync(d);
    expect(left).toHaveLength(1);
    expect(left[0]).toMatch(/^\.results\.json\.meshsim-\d+-[0-9a-f]{16}-[0-9a-f]{8}\.tmp$/);
    expect(isStaleTemporary(left[0]!)).toBe(true);
    writeFileAtomic(join(d, 'results.json'), 'whole\n');
    expect(readdirSync(d)).toEqual(['results.json']);
  });
});
