// scripts/ensure-chromium.sh (npm's pretest): with chromium present it does nothing; without it, as root
// with apt-get, it installs Debian's chromium and says so; otherwise it says what to run and fails. The
// machine's own chromium is left alone: the path checked comes from MESHSIM_CHROMIUM, and `id` and
// `apt-get` are stand-ins on a PATH of their own.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, run } from './helpers.ts';

const tmp = mkdtempSync(join(tmpdir(), 'meshsim-chromium-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const SCRIPT = join(ROOT, 'scripts/ensure-chromium.sh');
let n = 0;

interface Machine {
  uid: number;
  /** apt-get is there; it installs chromium (or fails with 100). */
  apt?: 'installs' | 'fails';
  chromiumThere?: boolean;
}

function pretest(m: Machine) {
  const dir = join(tmp, `m${n++}`);
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  const chromium = join(dir, 'usr-bin-chromium');
  const log = join(dir, 'apt.log');
  const tool = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/bash\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  tool('id', `echo ${m.uid}`);
  if (m.apt)
    tool(
      'apt-get',
      `echo "$*" >> ${log}\n` +
        (m.apt === 'fails'
          ? 'exit 100'
          : `if [ "$1" = install ]; then printf '#!/bin/sh\\n' > ${chromium}; /bin/chmod +x ${chromium}; fi`),
    );
  if (m.chromiumThere) {
    writeFileSync(chromium, '#!/bin/sh\n');
    chmodSync(chromium, 0o755);
  }
  const o = run('/bin/bash', [SCRIPT], { env: { PATH: bin, MESHSIM_CHROMIUM: chromium } });
  return { ...o, apt: existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [], chromium };
}

describe('scripts/ensure-chromium.sh', () => {
  it('does nothing when chromium is there', () => {
    const o = pretest({ uid: 0, apt: 'installs', chromiumThere: true });
    expect(o.code, o.stderr).toBe(0);
    expect(o.apt).toEqual([]);
    expect(o.stderr).toBe('');
  });

  it('as root with apt-get, installs Debian chromium and explains what it is doing', () => {
    const o = pretest({ uid: 0, apt: 'installs' });
    expect(o.code, o.stderr).toBe(0);
    expect(o.apt).toEqual(['update -qq', 'install -y -qq chromium']);
    expect(existsSync(o.chromium)).toBe(true);
    expect(o.stderr).toContain('real-browser report test');
    expect(o.stderr).toContain('apt-get install -y chromium');
  });

  it('fails with a message when apt-get fails', () => {
    const o = pretest({ uid: 0, apt: 'fails' });
    expect(o.code).toBe(1);
    expect(o.stderr).toContain('apt-get could not install chromium');
  });

  it('not root: says what to run as root, installs nothing, fails', () => {
    const o = pretest({ uid: 1000, apt: 'installs' });
    expect(o.code).toBe(1);
    expect(o.apt).toEqual([]);
    expect(o.stderr).toContain('apt-get update && apt-get install -y chromium');
  });

  it('root without apt-get (not Debian): says what is needed, fails', () => {
    const o = pretest({ uid: 0 });
    expect(o.code).toBe(1);
    expect(o.stderr).toContain("needs Debian's chromium");
  });
});
