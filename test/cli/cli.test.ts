// The command line as a user meets it: a subprocess, its exit code, stdout and stderr.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { isMap, isScalar, parseDocument, type YAMLMap } from 'yaml';
import { BUNDLED } from '../helpers/bundled.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const QUICKSTART = 'scenarios/quickstart.yaml';
const tmp = mkdtempSync(join(tmpdir(), 'meshsim-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function meshsim(...args: string[]): Outcome {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, MESHSIM_DEBUG: '', NO_COLOR: '1' },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** No stack trace reaches the user. */
function expectNoStack(o: Outcome): void {
  expect(o.stderr).not.toMatch(/\n\s+at /);
  expect(o.stdout).not.toMatch(/\n\s+at /);
}

describe('meshsim run', () => {
  it('prints the comparison table: a header with every architecture and CPU, memory, latency rows', () => {
    const o = meshsim('run', QUICKSTART, '--duration', '4s', '--replications', '1');
    expect(o.code, o.stderr).toBe(0);
    const lines = o.stdout.split('\n');
    const header = lines.find((l) => /\bnone\b/.test(l) && /\bsidecar\b/.test(l) && /\bambient\b/.test(l));
    expect(header).toBeDefined();
    const cols = header!.trim().split(/\s+/);
    expect(cols).toEqual(['none', 'sidecar', 'ambient']);
    expect(o.stdout).toMatch(/^CPU used \(cores, mean\)/m);
    expect(o.stdout).toMatch(/^Memory used \(MiB\)/m);
    expect(o.stdout).toMatch(/^Entry point web -> shop\/frontend \(latency in ms\)/m);
    for (const row of ['application', 'sidecar', 'ztunnel', 'total', 'p50', 'p99'])
      expect(o.stdout).toMatch(new RegExp(`^\\s+${row}\\s`, 'm'));
    expectNoStack(o);
  });

  it('--json writes the versioned results to stdout, and --out writes DIR/results.json', () => {
    const out = join(tmp, 'out');
    const o = meshsim('run', QUICKSTART, '--duration', '3s', '--replications', '1', '--json', '--out', out);
    expect(o.code, o.stderr).toBe(0);
    const results = JSON.parse(o.stdout);
    expect(results.schema).toBe('meshsim/results/v1');
    expect(results.scenario).toMatchObject({ name: 'quickstart', replications: 1, duration: 3, seed: 1 });
    expect(results.architectures.map((a: { architecture: string }) => a.architecture)).toEqual([
      'none',
      'sidecar',
      'ambient',
    ]);
    const file = join(out, 'results.json');
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(o.stdout);
  });

  it('bookinfo: --json carries the versions, the split and the closed-loop throughput', () => {
    const o = meshsim('run', 'scenarios/bookinfo.yaml', '--duration', '3s', '--replications', '1', '--json');
    expect(o.code, o.stderr).toBe(0);
    const results = JSON.parse(o.stdout);
    const [none, sidecar] = results.architectures;
    expect(none.mixes.versions.map((v: { version: string }) => v.version)).toEqual(['v1', 'v2', 'v3']);
    expect(none.mixes.splitUnhonoured[0].calls.mean).toBeGreaterThan(0);
    expect(sidecar.mixes.splitUnhonoured[0].calls.mean).toBe(0);
    expect(sidecar.entryPoints[0].throughput.mean).toBeGreaterThan(150);
    expectNoStack(o);
  });

  it('--arch and --seed are honoured', () => {
    const o = meshsim(
      'run',
      QUICKSTART,
      '--duration',
      '3s',
      '--replications',
      '1',
      '--json',
      '--arch',
      'ambient',
      '--seed',
      '7',
    );
    expect(o.code, o.stderr).toBe(0);
    const results = JSON.parse(o.stdout);
    expect(results.scenario.seed).toBe(7);
    expect(results.architectures.map((a: { architecture: string }) => a.architecture)).toEqual(['ambient']);
  });

  it('a scenario with an error exits 2 with file:line:col and no stack trace', () => {
    const text = readFileSync(join(ROOT, QUICKSTART), 'utf8').replace('replicas: 3', 'replicas: -3');
    const file = join(tmp, 'bad.yaml');
    writeFileSync(file, text);
    const line = text.split('\n').findIndex((l) => l.includes('replicas: -3')) + 1;
    const o = meshsim('run', file, '--duration', '3s');
    expect(o.code).toBe(2);
    expect(o.stderr).toContain(`${file}:${line}:`);
    expect(o.stderr).toMatch(/services\[0\]\.replicas/);
    expect(o.stdout).toBe('');
    expectNoStack(o);
  });

  it('a missing file exits 2 and says so', () => {
    const o = meshsim('run', join(tmp, 'nope.yaml'));
    expect(o.code).toBe(2);
    expect(o.stderr).toContain('does not exist');
    expectNoStack(o);
  });

  it('an unknown flag, a bad flag value or no command exit 2 with a usage hint', () => {
    for (const args of [
      ['run', QUICKSTART, '--bogus'],
      ['run', QUICKSTART, '--duration', 'soon'],
      ['run', QUICKSTART, '--arch', 'istio'],
      ['run', QUICKSTART, '--replications', '0'],
      [],
    ]) {
      const o = meshsim(...args);
      expect(o.code, args.join(' ')).toBe(2);
      expect(o.stderr, args.join(' ')).toMatch(/^meshsim: /);
      expectNoStack(o);
    }
  });

  it('a duration not longer than the warm-up is an input error (exit 2), not a crash', () => {
    const o = meshsim('run', QUICKSTART, '--duration', '1s');
    expect(o.code).toBe(2);
    expect(o.stderr).toContain('simulation.duration');
    expectNoStack(o);
  });
});

describe('meshsim validate', () => {
  for (const name of BUNDLED) {
    it(`${name}.yaml is valid`, () => {
      const o = meshsim('validate', `scenarios/${name}.yaml`);
      expect(o.code, o.stderr).toBe(0);
      expect(o.stdout).toMatch(new RegExp(`scenarios/${name}\\.yaml: valid \\(${name}: [\\d,]+ nodes`));
      expect(o.stdout).toMatch(
        /^estimate: (up to )?[\d,]+ simulations?, .+ events, about \d+ (s|minutes) on \d worker threads? and [\d.]+ [MG]B of memory/m,
      );
    });
  }

  it('random mutations of quickstart.yaml exit 2 with a positioned message', () => {
    const source = readFileSync(join(ROOT, QUICKSTART), 'utf8');
    // Maps of the document a mutation can hit, with keys that are required there.
    const targets: Array<{ path: Array<string | number>; required: string[] }> = [
      { path: [], required: ['apiVersion', 'kind', 'metadata', 'cluster', 'services', 'traffic'] },
      { path: ['metadata'], required: ['name'] },
      { path: ['cluster', 'nodePools', 0], required: ['name', 'instanceType', 'count'] },
      { path: ['services', 0], required: ['name'] },
      { path: ['services', 2], required: ['name'] },
      { path: ['services', 0, 'calls', 0], required: ['to'] },
      { path: ['traffic', 0], required: ['name', 'to'] },
      { path: ['simulation'], required: [] },
    ];
    const wrong = [['not', 'a', 'scalar'], { a: 1 }, 'many', -5, true] as const;
    let n = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...targets),
        fc.constantFrom('delete', 'retype', 'unknown'),
        fc.nat(),
        fc.constantFrom(...wrong),
        (target, kind, pick, value) => {
          const doc = parseDocument(source);
          const map = doc.getIn(target.path, true) as YAMLMap | undefined;
          if (!isMap(map)) throw new Error(`not a map: ${target.path.join('.')}`);
          const keys = map.items.map((p) => (isScalar(p.key) ? String(p.key.value) : '')).filter(Boolean);
          if (kind === 'delete' && target.required.length > 0) {
            map.delete(target.required[pick % target.required.length]!);
          } else if (kind === 'retype') {
            // A value of the wrong type under an existing key that takes a scalar.
            const scalarKeys = keys.filter((k) => {
              const v = map.get(k, true);
              return isScalar(v) && k !== 'description';
            });
            const key = scalarKeys[pick % scalarKeys.length]!;
            map.set(key, doc.createNode(typeof value === 'string' && key === 'name' ? ['x'] : value));
          } else {
            map.set(`bogusField${pick % 7}`, 1);
          }
          const file = join(tmp, `mutant-${n++}.yaml`);
          writeFileSync(file, doc.toString());
          const o = meshsim('validate', file);
          expect(o.code, `${kind} at ${target.path.join('.')}\n${o.stderr}`).toBe(2);
          expect(o.stderr).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: `));
          expectNoStack(o);
          // Every reported problem is positioned.
          const issues = o.stderr.split('\n').filter((l) => l.startsWith(file));
          expect(issues.length).toBeGreaterThan(0);
          for (const l of issues) expect(l).toMatch(/:\d+:\d+: /);
        },
      ),
      { numRuns: 10, seed: 42 },
    );
  });
});
