// Runs that cannot fit are refused before any simulation, as input errors naming the knob (exit 2).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'meshsim-guards-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function meshsim(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, MESHSIM_DEBUG: '', NO_COLOR: '1' },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('pre-run guards', () => {
  it('run: a week at 10,000 req/s is refused with the estimate and the knobs (a week at 1 req/s fits: its series is capped)', () => {
    const file = join(tmp, 'week.yaml');
    writeFileSync(
      file,
      `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: week }
cluster:
  nodePools: [{ name: p, instanceType: m5.xlarge, count: 2 }]
services: [{ name: a, replicas: 2 }]
traffic: [{ name: web, to: a, rate: 10000/s }]
simulation: { duration: 168h, timeStep: 1s }
`,
    );
    const o = meshsim('run', file);
    expect(o.code, o.stderr).toBe(2);
    expect(o.stderr).toMatch(/would take about/);
    expect(o.stderr).toMatch(/--force/);
    expect(o.stdout).toBe('');
  });

  it('plan: a growth factor of 1e9 is a usage error', () => {
    const o = meshsim('plan', 'scenarios/three-tier.yaml', '--growth', '1e9');
    expect(o.code).toBe(2);
    expect(o.stderr).toMatch(/--growth: .* at most 1000/);
  });
});
