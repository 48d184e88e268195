// `meshsim job` and the shard contract: the emitted manifest is a valid Kubernetes Indexed Job, and its pod
// command, run as N local processes that differ only in JOB_COMPLETION_INDEX, leaves shares that
// `meshsim merge` joins into the bytes of the single-machine `meshsim plan`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { jobCommand } from '../../src/cli/commands/job.ts';
import { UsageError } from '../../src/cli/errors.ts';
import { loadScenario, parseScenario, scenarioHash } from '../../src/scenario/index.ts';
import { tinyText } from '../plan/fixture.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'meshsim-job-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const scenario = join(tmp, 'tiny.yaml');
writeFileSync(scenario, tinyText({ replicas: 4, cpu: '450m', compare: '[sidecar, ambient]' }));
const PLAN = ['--types', 'pool,m5.large', '--growth', '1,2'];
const SHARDS = 3;

function meshsim(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, MESHSIM_DEBUG: '', NO_COLOR: '1', ...env },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const out = join(tmp, 'job');
const emitted = meshsim([
  'job',
  scenario,
  ...PLAN,
  '--shards',
  String(SHARDS),
  '--cpu',
  '1',
  '--claim',
  'plan-results',
  '--image',
  'registry.example.com/meshsim:test',
  '--out',
  out,
]);
const docs = emitted.code === 0 ? parseAllDocuments(readFileSync(join(out, 'job.yaml'), 'utf8')) : [];
const objects = docs.map((d) => d.toJS() as { kind: string } & Record<string, never>);
const job = objects.find((o) => o.kind === 'Job') as unknown as Job;
const configMap = objects.find((o) => o.kind === 'ConfigMap') as unknown as ConfigMap;

describe('meshsim job', () => {
  it('writes a ConfigMap and an Indexed Job that the Kubernetes schema accepts, and a Dockerfile', () => {
    expect(emitted.code, emitted.stderr).toBe(0);
    expect(objects.map((o) => o.kind)).toEqual(['ConfigMap', 'Job']);
    expect(() => new Job(job).validate()).not.toThrow();
    expect(() => new ConfigMap(configMap).validate()).not.toThrow();
    // The validator has teeth: the same Job with a count that is not an integer is refused.
    const broken = structuredClone(job) as unknown as { spec: { completions: unknown } };
    broken.spec.completions = 'three';
    expect(() => new Job(broken as unknown as Job).validate()).toThrow(/completions/);
    expect(job.spec?.completionMode).toBe('Indexed');
    expect(job.spec?.completions).toBe(SHARDS);
    const pod = job.spec!.template.spec!;
    expect(pod.volumes?.find((v) => v.name === 'results')?.persistentVolumeClaim?.claimName).toBe(
      'plan-results',
    );
    expect(pod.containers[0]!.image).toBe('registry.example.com/meshsim:test');
    const dockerfile = readFileSync(join(out, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:20\./m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "bin\/meshsim\.mjs"\]$/m);
  });

  it('the ConfigMap carries the scenario unchanged', () => {
    const data = configMap.data!;
    expect(Object.keys(data)).toEqual(['tiny.yaml']);
    expect(scenarioHash(parseScenario(data['tiny.yaml']!, 'tiny.yaml'))).toBe(
      scenarioHash(loadScenario(scenario)),
    );
  });

  it('N pods, each with only JOB_COMPLETION_INDEX different, merge into the single-machine plan bytes', () => {
    const c = job.spec!.template.spec!.containers[0]!;
    const mounts = new Map(c.volumeMounts!.map((m) => [m.name, m.mountPath]));
    const results = join(tmp, 'claim');
    // The pod's command as the manifest has it, with the two mounts made local directories.
    const local = (arg: string) =>
      arg.replace(`${mounts.get('scenario')}/tiny.yaml`, scenario).replace(mounts.get('results')!, results);
    const args = c.args!.map(local);
    expect(args).toContain('index/3');
    for (let i = 0; i < SHARDS; i++) {
      const pod = meshsim(args, { JOB_COMPLETION_INDEX: String(i) });
      expect(pod.code, pod.stderr).toBe(0);
    }
    const dir = args[args.indexOf('--out') + 1]!;
    expect(
      readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort(),
    ).toEqual(['plan.shard-0-of-3.json', 'plan.shard-1-of-3.json', 'plan.shard-2-of-3.json']);
    const single = meshsim(['plan', scenario, ...PLAN, '--workers', '1', '--out', join(tmp, 'single')]);
    expect(single.code, single.stderr).toBe(0);
    const merged = meshsim(['merge', dir, '--out', join(tmp, 'merged')]);
    expect(merged.code, merged.stderr).toBe(0);
    expect(readFileSync(join(tmp, 'merged', 'plan.json'), 'utf8')).toBe(
      readFileSync(join(tmp, 'single', 'plan.json'), 'utf8'),
    );
    // The text tables are the same too.
    expect(merged.stdout).toBe(single.stdout);
  });

  it('bad shard input is a usage error, not a stack trace', () => {
    const unset = meshsim(['plan', scenario, ...PLAN, '--shard', 'index/3'], { JOB_COMPLETION_INDEX: '' });
    expect(unset.code).toBe(2);
    expect(unset.stderr).toMatch(/JOB_COMPLETION_INDEX="", expected the pod's completion index/);
    const high = meshsim(['plan', scenario, ...PLAN, '--shard', '3/3']);
    expect(high.code).toBe(2);
    expect(high.stderr).toMatch(/from 0 to 2/);
    const missing = meshsim(['merge', join(tmp, 'claim', 'meshsim-plan-tiny', 'plan.shard-0-of-3.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/shards 1, 2 of 3 missing/);
    const notJson = join(tmp, 'bad.json');
    writeFileSync(notJson, '{');
    const bad = meshsim(['merge', notJson]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not JSON/);
    expect(`${unset.stderr}${high.stderr}${missing.stderr}${bad.stderr}`).not.toMatch(/\n\s+at /);
  });

  it('a scenario over 1 MiB cannot be a ConfigMap: refused, or read from the claim when asked', async () => {
    const big = join(tmp, 'big.yaml');
    // The same scenario with a comment that takes it past the 1 MiB a ConfigMap holds.
    writeFileSync(big, `${tinyText()}#${'x'.repeat(2 ** 20)}\n`);
    const base = { file: big, claim: 'plan-results', image: 'meshsim:test', out: join(tmp, 'big-job') };
    await expect(jobCommand(base)).rejects.toThrow(UsageError);
    await expect(jobCommand(base)).rejects.toThrow(/more than a ConfigMap holds \(1 MiB\)/);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await jobCommand({ ...base, scenarioInClaim: 'inputs/big.yaml' })).toBe(0);
    } finally {
      err.mockRestore();
    }
    const [only] = parseAllDocuments(readFileSync(join(base.out, 'job.yaml'), 'utf8')).map(
      (d) => d.toJS() as Job,
    );
    expect(only!.kind).toBe('Job');
    expect(() => new Job(only!).validate()).not.toThrow();
    expect(only!.spec!.template.spec!.containers[0]!.args!.slice(0, 2)).toEqual([
      'plan',
      '/results/inputs/big.yaml',
    ]);
  });

  it('flags the Job sets itself, or a bad name, are usage errors', async () => {
    const base = { file: scenario, claim: 'plan-results', image: 'meshsim:test', out: join(tmp, 'x') };
    await expect(jobCommand({ ...base, shard: '0/2' })).rejects.toThrow(/use --shards N/);
    await expect(jobCommand({ ...base, workers: 4 })).rejects.toThrow(/set by --cpu/);
    await expect(jobCommand({ ...base, name: 'Plan_1' })).rejects.toThrow(/--name: found "Plan_1"/);
    await expect(jobCommand({ ...base, memory: '4 GB' })).rejects.toThrow(/Kubernetes quantity/);
    await expect(jobCommand({ ...base, types: 'm9.huge' })).rejects.toThrow(UsageError);
  });
});
