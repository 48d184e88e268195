// `plan --resume` trusts a checkpoint only when its shape is right, the key inside is the one its name
// says and it belongs to this scenario; any other is named and simulated again.
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { directoryStore } from '../../src/plan/checkpoint.ts';
import type { Sample } from '../../src/plan/sample.ts';
import { meshsim, QUICKSTART } from './helpers.ts';

const tmp = mkdtempSync(join(tmpdir(), 'meshsim-ckpt-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const SAMPLE: Sample = {
  nodes: 3,
  unschedulable: 0,
  cpu: { mean: 0.2, max: 0.3 },
  entryPoints: [
    {
      name: 'web',
      p50: 0.002,
      p99: 0.01,
      p999: 0.02,
      slo: [{ quantile: 'p99', target: 0.05, value: 0.01, met: true }],
    },
  ],
  monthly: { nodes: 420, crossZone: 1, proxyFee: 0, total: 421 },
  meshShare: 0.1,
  ztunnelForBusiest: null,
  memoryShortNodes: 0,
  memoryExcess: 0,
  replications: 3,
  usage: { application: 0.5, sidecar: 0.1 },
};
const KEY_A = 'a'.repeat(40);
const KEY_B = 'b'.repeat(40);

describe('directoryStore with resume', () => {
  const open = (dir: string, hash = 'h1') => {
    const rejected: string[] = [];
    const store = directoryStore(dir, true, {
      scenarioHash: hash,
      onRejected: (f, why) => rejected.push(`${f}: ${why}`),
    });
    return { store, rejected };
  };

  it('reads back what it wrote', () => {
    const dir = join(tmp, 'ok');
    open(dir).store.put(KEY_A, SAMPLE);
    const { store, rejected } = open(dir);
    expect(store.get(KEY_A)).toEqual(SAMPLE);
    expect(rejected).toEqual([]);
  });

  it('a file copied over another job is named and not trusted', () => {
    const dir = join(tmp, 'copied');
    open(dir).store.put(KEY_A, SAMPLE);
    copyFileSync(join(dir, `${KEY_A}.json`), join(dir, `${KEY_B}.json`));
    const { store, rejected } = open(dir);
    expect(store.get(KEY_B)).toBeUndefined();
    expect(rejected).toEqual([
      `${join(dir, `${KEY_B}.json`)}: holds job ${KEY_A}, not the job its name says`,
    ]);
  });

  it("another scenario's file is not trusted", () => {
    const dir = join(tmp, 'other');
    open(dir, 'h1').store.put(KEY_A, SAMPLE);
    const { store, rejected } = open(dir, 'h2');
    expect(store.get(KEY_A)).toBeUndefined();
    expect(rejected[0]).toMatch(/belongs to another scenario$/);
  });

  it('truncated JSON and a wrong shape are not trusted', () => {
    const dir = join(tmp, 'bad');
    open(dir).store.put(KEY_A, SAMPLE);
    const text = readFileSync(join(dir, `${KEY_A}.json`), 'utf8');
    writeFileSync(join(dir, `${KEY_A}.json`), text.slice(0, 40));
    const shaped = JSON.parse(text);
    shaped.sample.monthly.total = 'cheap';
    writeFileSync(join(dir, `${KEY_B}.json`), JSON.stringify({ ...shaped, key: KEY_B }));
    const { store, rejected } = open(dir);
    expect(store.get(KEY_A)).toBeUndefined();
    expect(store.get(KEY_B)).toBeUndefined();
    expect(rejected[0]).toMatch(/is not valid JSON$/);
    expect(rejected[1]).toMatch(/does not have the shape of a checkpoint/);
  });
});

describe('meshsim plan --resume', () => {
  it('a checkpoint copied over the others is named and recomputed: the plan is the one first made', () => {
    const out = join(tmp, 'plan');
    const args = ['plan', QUICKSTART, '--duration', '3s', '--replications', '1', '--types', 'm5.xlarge'];
    const first = meshsim([...args, '--arch', 'none,sidecar', '--out', out, '--json']);
    expect(first.code, first.stderr).toBe(0);
    const dir = join(out, '.meshsim-checkpoint');
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(1);
    for (const f of files.slice(1)) copyFileSync(join(dir, files[0]!), join(dir, f));
    const again = meshsim([...args, '--arch', 'none,sidecar', '--out', out, '--json', '--resume']);
    expect(again.code, again.stderr).toBe(0);
    for (const f of files.slice(1))
      expect(again.stderr).toContain(
        `meshsim: checkpoint ${join(dir, f)} holds job ${files[0]!.slice(0, -5)}`,
      );
    expect(again.stderr).toMatch(
      new RegExp(`${files.length - 1} simulations? run, 1 reused from checkpoints`),
    );
    expect(again.stdout).toBe(first.stdout);
  });
});
