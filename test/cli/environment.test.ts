// Errors of the environment, met for real (a read-only or full file system mounted for the test, a
// closed pipe, /dev/full): one line naming the path or flag, exit 2 (141 for a closed pipe), never
// "this is a bug in meshsim", and outputs checked before any simulation.
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ENTRY, expectOneLineError, meshsim, QUICKSTART, ROOT, run } from './helpers.ts';

const tmp = mkdtempSync(join(tmpdir(), 'meshsim-env-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/**
 * meshsim inside a private mount namespace with a tmpfs of the given options mounted at `dir`; what is
 * left on that tmpfs afterwards is `left` (the mount goes away with the namespace).
 */
function withMount(dir: string, options: string, args: string[]) {
  mkdirSync(dir, { recursive: true });
  const LEFT = '--- left:';
  const o = run('unshare', [
    '-m',
    'sh',
    '-c',
    `mount -t tmpfs -o "$1" tmpfs "$2" || exit 99; d="$2"; shift 2; "$@"; rc=$?; echo "${LEFT}"; ls -A "$d"; exit $rc`,
    'sh',
    options,
    dir,
    process.execPath,
    ...ENTRY,
    ...args,
  ]);
  const [stdout, left] = o.stdout.split(`${LEFT}\n`);
  return { ...o, stdout: stdout ?? '', left: (left ?? '').split('\n').filter(Boolean) };
}

// Long enough that simulating first would run past the subprocess timeout (120 s): a prompt exit 2 shows
// the output was checked before the simulation.
const LONG = ['--duration', '3000s', '--replications', '1'];

describe('outputs the environment refuses', () => {
  it('EROFS: --out on a read-only file system fails before simulating', () => {
    const ro = join(tmp, 'ro');
    const o = withMount(ro, 'ro,size=1m', ['run', QUICKSTART, ...LONG, '--out', join(ro, 'x')]);
    expectOneLineError(o, `--out ${join(ro, 'x')}`, 'read-only file system (EROFS)');
    expect(o.left).toEqual([]);
  });

  it('EROFS: --report on a read-only file system fails before simulating', () => {
    const ro = join(tmp, 'ro2');
    const o = withMount(ro, 'ro,size=1m', ['run', QUICKSTART, ...LONG, '--report', join(ro, 'r')]);
    expectOneLineError(o, `--report ${join(ro, 'r')}`, 'EROFS');
  });

  it('ENOSPC: a report larger than the disk leaves neither a folder nor a temporary', () => {
    const small = join(tmp, 'small');
    const o = withMount(small, 'size=256k', [
      'run',
      QUICKSTART,
      '--duration',
      '3s',
      '--replications',
      '1',
      '--report',
      join(small, 'r'),
    ]);
    expectOneLineError(o, `--report ${join(small, 'r')}`, 'no space left on device (ENOSPC)');
    expect(o.left).toEqual([]);
  });

  it('EEXIST: --out naming an existing file', () => {
    const file = join(tmp, 'a-file');
    writeFileSync(file, 'mine\n');
    expectOneLineError(meshsim(['run', QUICKSTART, ...LONG, '--out', file]), `--out ${file}`, 'EEXIST');
  });

  it('ENOTDIR: --out under a file', () => {
    const file = join(tmp, 'b-file');
    writeFileSync(file, 'mine\n');
    const o = meshsim(['run', QUICKSTART, ...LONG, '--out', join(file, 'sub')]);
    expectOneLineError(o, '--out', 'ENOTDIR');
  });

  it('EISDIR: DIR/results.json is a directory', () => {
    const dir = join(tmp, 'isdir');
    mkdirSync(join(dir, 'results.json'), { recursive: true });
    expectOneLineError(
      meshsim(['run', QUICKSTART, ...LONG, '--out', dir]),
      join(dir, 'results.json'),
      'EISDIR',
    );
  });

  it('EPERM: --out where the kernel refuses a directory (/sys)', () => {
    const o = meshsim(['run', QUICKSTART, ...LONG, '--out', '/sys/kernel/meshsim-test']);
    expectOneLineError(o, '--out /sys/kernel/meshsim-test', 'EPERM');
  });

  it('--out under /proc is an error, not an endless mkdir', () => {
    expectOneLineError(meshsim(['run', QUICKSTART, ...LONG, '--out', '/proc/meshsim-test']), '--out /proc');
  });

  it('--report into a directory of files meshsim did not write is refused, and they are kept', () => {
    const dir = join(tmp, 'users');
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'mine\n');
    expectOneLineError(meshsim(['run', QUICKSTART, ...LONG, '--report', dir]), '--report', 'did not write');
    expect(readdirSync(dir)).toEqual(['notes.txt']);
  });
});

describe('standard output that refuses', () => {
  it('/dev/full: ENOSPC on stdout is one line and exit 2', () => {
    const full = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [...ENTRY, 'validate', QUICKSTART], {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: ['ignore', full, 'pipe'],
      });
      expectOneLineError(
        { code: r.status, stdout: '', stderr: r.stderr },
        'standard output',
        'no space left on device (ENOSPC)',
      );
    } finally {
      closeSync(full);
    }
  });

  it('a closed pipe (--json | head) ends quietly with 141, as SIGPIPE would', async () => {
    const child = spawn(process.execPath, [...ENTRY, 'run', QUICKSTART, '--duration', '3s', '--json'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // The reader goes away before meshsim writes anything.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, stderr).toBe(141);
    expect(stderr).toBe('');
  });
});

describe('inputs that are not scenario files', () => {
  it('a FIFO is refused at once instead of blocking', () => {
    const fifo = join(tmp, 'fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    expectOneLineError(meshsim(['run', fifo], { timeout: 60_000 }), fifo, 'named pipe');
  });

  it('/dev/zero is refused at once instead of read for ever', () => {
    expectOneLineError(meshsim(['validate', '/dev/zero'], { timeout: 60_000 }), '/dev/zero', 'a device');
  });

  it('a malformed results file given to report is named, exit 2, and nothing is written', () => {
    const file = join(tmp, 'results.json');
    writeFileSync(
      file,
      JSON.stringify({
        schema: 'meshsim/results/v1',
        scenario: { name: 'x', seed: 1, replications: 1 },
        architectures: [{ architecture: 'none' }],
        deltas: [],
      }),
    );
    const out = join(tmp, 'malformed-report');
    const o = meshsim(['report', file, '--out', out]);
    expectOneLineError(o, file, 'architectures[0].placement');
    expect(existsSync(out)).toBe(false);
  });

  it('a directory is refused', () => {
    expectOneLineError(meshsim(['validate', tmp]), tmp, 'a directory');
  });
});

describe('flags', () => {
  const usage = (o: ReturnType<typeof meshsim>, ...mentions: string[]) => {
    expect(o.code, o.stderr).toBe(2);
    const first = o.stderr.split('\n')[0]!;
    for (const m of mentions) expect(first).toContain(m);
    expect(o.stderr).not.toMatch(/internal error|\n\s+at /);
  };

  it('--arch given twice', () => {
    usage(meshsim(['run', QUICKSTART, '--arch', 'none', '--arch', 'sidecar']), '--arch given 2 times');
  });

  it('--out given twice', () => {
    usage(
      meshsim(['run', QUICKSTART, '--out', join(tmp, 'a'), '--out', join(tmp, 'b')]),
      '--out given 2 times',
    );
    expect(existsSync(join(tmp, 'a'))).toBe(false);
  });

  it("--out '' is an error, not silence", () => {
    usage(meshsim(['run', QUICKSTART, '--out', '']), '--out', 'empty');
    usage(meshsim(['report', 'x.json', '--out', '']), '--out', 'empty');
  });
});
