// `run` shows the scenario's findings on stderr and keeps --json stdout the results alone.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const SCENARIO = `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: t }
cluster:
  nodePools: [{ name: p, instanceType: m5.xlarge, count: 2 }]
namespaces: [{ name: app, labels: { istio.io/dataplane-mode: ambient } }]
services:
  - { name: web, namespace: app, calls: [{ to: api, l7: true }] }
  - { name: api, namespace: app }
traffic: [{ name: in, to: web.app, rate: 10/s }]
compare: [ambient]
simulation: { warmup: 1s }
`;

describe('meshsim run and check findings', () => {
  it('prints warning findings to stderr (not the informational ones), results JSON alone on stdout', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshsim-findings-'));
    const file = join(dir, 's.yaml');
    writeFileSync(file, SCENARIO);
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/main.ts',
        'run',
        file,
        '--duration',
        '4s',
        '--replications',
        '1',
        '--json',
      ],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).schema).toBe('meshsim/results/v1');
    expect(r.stderr).toMatch(/MSH302 warning: /);
    expect(r.stderr).not.toMatch(/ info: /);
    // The results carry every finding (info too), for the report.
    const codes = (JSON.parse(r.stdout).findings as Array<{ code: string }>).map((f) => f.code);
    expect(codes).toContain('MSH302');
    expect(codes).toContain('MSH301');
    rmSync(dir, { recursive: true, force: true });
  });
});
