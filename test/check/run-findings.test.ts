// `run` shows the scenario's findings on stderr and keeps --json stdout the results alone.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('meshsim run and check findings', () => {
  it('prints findings to stderr, results JSON alone on stdout', () => {
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/main.ts',
        'run',
        'scenarios/quickstart.yaml',
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
    expect(r.stderr).toMatch(/^scenarios\/quickstart\.yaml:\d+: Namespace shop: MSH301 info: /m);
  });
});
