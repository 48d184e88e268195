// bin/huge-pages.mjs: a simulating command runs again in a child whose malloc asks for huge pages; the
// child's results, exit code and signals are the parent's.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hugePagesEnv, wantsHugePages } from '../../bin/huge-pages.mjs';
import { ENTRY, meshsim, QUICKSTART, ROOT } from './helpers.ts';

const canHelp = wantsHugePages(['run'], {});

describe('huge pages for simulating commands', () => {
  it('only simulating commands, only once, and never when turned off', () => {
    for (const cmd of ['validate', 'check', 'import', 'merge', 'job', 'report', '--help'])
      expect(wantsHugePages([cmd], {})).toBe(false);
    expect(wantsHugePages(['run'], { MESHSIM_HUGE_PAGES: '0' })).toBe(false);
    // the child: its environment already carries the tunable
    expect(wantsHugePages(['run'], { GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' })).toBe(false);
    for (const cmd of ['run', 'plan', 'calibrate']) expect(wantsHugePages([cmd], {})).toBe(canHelp);
    // on glibc >= 2.35 under Linux with transparent huge pages not `never` (this machine's own reading)
    if (process.platform === 'linux') {
      const thp = readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8');
      const glibc = (process.report.getReport() as { header: { glibcVersionRuntime?: string } }).header
        .glibcVersionRuntime;
      const [major = 0, minor = 0] = (glibc ?? '0.0').split('.').map(Number);
      expect(canHelp).toBe(!thp.includes('[never]') && (major > 2 || (major === 2 && minor >= 35)));
    }
  });

  it('not under a debugger, whose port the child would ask for again', () => {
    const ask = `import('./bin/huge-pages.mjs').then((m) => process.stdout.write(String(m.wantsHugePages(['run'], {}))))`;
    const debugged = spawnSync(process.execPath, ['--inspect=127.0.0.1:0', '-e', ask], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(debugged.stdout).toBe('false');
    const plain = spawnSync(process.execPath, ['-e', ask], { cwd: ROOT, encoding: 'utf8' });
    expect(plain.stdout).toBe(String(canHelp));
  });

  it('adds the tunable to those already set', () => {
    // one arena and no separately mapped blocks under 32 MiB, so that worker threads' memory is advised
    // too (huge-pages.mjs says why)
    const ours = 'glibc.malloc.hugetlb=1:glibc.malloc.arena_max=1:glibc.malloc.mmap_threshold=33554432';
    expect(hugePagesEnv({}).GLIBC_TUNABLES).toBe(ours);
    expect(hugePagesEnv({ GLIBC_TUNABLES: 'glibc.malloc.tcache_count=0' }).GLIBC_TUNABLES).toBe(
      `glibc.malloc.tcache_count=0:${ours}`,
    );
    // a user's own arena limit and threshold stand
    expect(hugePagesEnv({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }).GLIBC_TUNABLES).toBe(
      'glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=33554432',
    );
    expect(
      hugePagesEnv({ GLIBC_TUNABLES: 'glibc.malloc.mmap_threshold=65536:glibc.malloc.arena_max=4' })
        .GLIBC_TUNABLES,
    ).toBe('glibc.malloc.mmap_threshold=65536:glibc.malloc.arena_max=4:glibc.malloc.hugetlb=1');
  });

  it('the results are the same bytes with and without it, and so are the errors and exit codes', () => {
    const args = ['run', QUICKSTART, '--json', '--duration', '2s', '--warmup', '0.5s', '--replications', '1'];
    const on = meshsim(args);
    const off = meshsim(args, { env: { MESHSIM_HUGE_PAGES: '0' } });
    expect(on.code, on.stderr).toBe(0);
    expect(off.code, off.stderr).toBe(0);
    expect(on.stdout).toBe(off.stdout);
    expect(on.stdout.length).toBeGreaterThan(1000);
    const bad = meshsim(['run', 'no/such/file.yaml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('no/such/file.yaml');
  });

  it('a signal to the command reaches the simulation, which stops; nothing is left running', async () => {
    const parent = spawn(process.execPath, [...ENTRY, 'run', QUICKSTART, '--json', '--duration', '600s'], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, MESHSIM_DEBUG: '', NO_COLOR: '1' },
    });
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      parent.on('exit', (code, signal) => resolve({ code, signal })),
    );
    // Wait until the simulating process (the child when it runs again, else the command itself) is up.
    let child = 0;
    for (let i = 0; i < 100 && child === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const kids = spawnSync('pgrep', ['-P', String(parent.pid)], { encoding: 'utf8' }).stdout.trim();
      if (kids) child = Number(kids.split('\n')[0]);
      else if (!canHelp && i > 10) break;
    }
    if (canHelp) {
      expect(child).toBeGreaterThan(0);
      const environ = readFileSync(`/proc/${child}/environ`, 'utf8').split('\0');
      // glibc 2.36 ends each tunable's value with a NUL in the environment block /proc shows
      // (elf/dl-tunables.c parse_tunables, value[len] = '\0'; the process's environ gets a copy): only
      // the first shows here
      expect(environ.find((e) => e.startsWith('GLIBC_TUNABLES='))).toMatch(
        /^GLIBC_TUNABLES=glibc\.malloc\.hugetlb=1(:|$)/,
      );
    }
    parent.kill('SIGTERM');
    const end = await exited;
    // Stopped by the signal, as `run` is without the child (no handler of its own), not ended otherwise.
    expect(end).toEqual({ code: null, signal: 'SIGTERM' });
    if (child > 0) {
      // the child is gone too (signal 0 only asks whether it exists)
      await new Promise((r) => setTimeout(r, 200));
      expect(() => process.kill(child, 0)).toThrow();
    }
  }, 60_000);
});
