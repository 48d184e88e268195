// `meshsim import` and `meshsim check` as a user runs them: exit codes, stdout, stderr.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'meshsim-importcli-'));
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

describe('meshsim import and check', () => {
  it('import --out writes a scenario that validate accepts; missing requests are warned on stderr', () => {
    const out = join(tmp, 'bookinfo.yaml');
    const o = meshsim(
      'import',
      'test/fixtures/import/bookinfo.yaml',
      '--calls',
      'test/fixtures/import/bookinfo-calls.yaml',
      '--out',
      out,
    );
    expect(o.code, o.stderr).toBe(0);
    expect(o.stderr).toMatch(
      /warning: Deployment bookinfo\/details-v1: container\(s\) details set no requests/,
    );
    expect(readFileSync(out, 'utf8')).toMatch(/^# Imported by `meshsim import`/);
    const v = meshsim('validate', out);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toMatch(/valid \(bookinfo: 3 nodes, 4 services, 6 pods, 1 entry point,/);
  });

  it('bad manifests and a bad overlay exit 2 with file:line:col and no stack trace', () => {
    const bad = join(tmp, 'bad.yaml');
    writeFileSync(bad, 'kind: Service\nmetadata:\n  name: [x\n');
    const o = meshsim('import', bad);
    expect(o.code).toBe(2);
    expect(o.stderr).toMatch(new RegExp(`${bad.replace(/[.]/g, '\\.')}:\\d+:\\d+: `));
    expect(o.stderr).not.toMatch(/\n\s+at /);
    const overlay = join(tmp, 'calls.yaml');
    writeFileSync(overlay, 'services:\n  - name: reviwes\n    calls: [{ to: ratings }]\n');
    const c = meshsim('import', 'test/fixtures/import/bookinfo.yaml', '--calls', overlay);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(
      new RegExp(
        `${overlay.replace(/[.]/g, '\\.')}:2:5: services\\[0\\]\\.name: found "reviwes", expected an imported service`,
      ),
    );
    // A bad value in the overlay is found by the scenario loader and reported at the overlay's line.
    writeFileSync(overlay, 'services:\n  - name: reviews\n    calls: [{ to: ratings, count: -1 }]\n');
    const v = meshsim('import', 'test/fixtures/import/bookinfo.yaml', '--calls', overlay);
    expect(v.code).toBe(2);
    expect(v.stderr).toMatch(
      new RegExp(
        `${overlay.replace(/[.]/g, '\\.')}:3:\\d+: services\\[0\\]\\.calls\\[0\\]\\.count: found "-1"`,
      ),
    );
    expect(v.stderr).not.toMatch(/\n\s+at /);
  });

  it('check exits 4 on an error finding (--json on stdout), 0 without one', () => {
    const m = join(tmp, 'np.yaml');
    writeFileSync(
      m,
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: app\n  labels: { istio.io/dataplane-mode: ambient }\n---\n' +
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: api, namespace: app }\nspec:\n  selector: { matchLabels: { app: api } }\n' +
        '  template:\n    metadata: { labels: { app: api } }\n    spec:\n      containers: [{ name: m, image: x, ports: [{ containerPort: 8080 }] }]\n---\n' +
        'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: np, namespace: app }\nspec:\n  podSelector: {}\n  ingress: [{ ports: [{ port: 8080 }] }]\n',
    );
    const o = meshsim('check', m, '--json');
    expect(o.code, o.stderr).toBe(4);
    const f = JSON.parse(o.stdout).findings;
    expect(f[0]).toMatchObject({
      code: 'MSH102',
      severity: 'error',
      object: { kind: 'Deployment', name: 'api', line: 7 },
    });
    const ok = meshsim('check', 'scenarios/quickstart.yaml');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/MSH301 info/);
  });
});
