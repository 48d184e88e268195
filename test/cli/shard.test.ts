// `meshsim plan --shard`, `merge` and `job` as a user runs them: the emitted manifest is a valid Kubernetes
// Indexed Job, and its pod command, run as N local processes that differ only in JOB_COMPLETION_INDEX,
// leaves shares that `meshsim merge` joins into the bytes of the single-machine `meshsim plan`.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { jobCommand } from '../../src/cli/commands/job.ts';
import { mergeCommand } from '../../src/cli/commands/merge.ts';
import { parseShard, planShardCommand } from '../../src/cli/commands/plan-shard.ts';
import { UsageError } from '../../src/cli/errors.ts';
import { loadScenario, parseScenario, scenarioHash } from '../../src/scenario/index.ts';
import { tinyText } from '../plan/fixture.ts';
import { ENTRY, expectOneLineError, type Outcome, ROOT } from './helpers.ts';

const tmp = mkdtempSync(join(tmpdir(), 'meshsim-shard-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const shape = { vcpu: '1', replicas: 6, cpu: '50m', serviceTime: '10ms', zones: ['a', 'b'] };
const scenario = join(tmp, 'tiny.yaml');
writeFileSync(scenario, tinyText({ ...shape, rate: '300/s' }));
const foreign = join(tmp, 'other.yaml');
writeFileSync(foreign, tinyText({ ...shape, rate: '301/s' }));
const PLAN = ['--types', 'pool,m5.xlarge', '--growth', '1,2'];
const SHARDS = 3;

/** The CLI as a child process, without blocking, so independent runs share the two cores. */
function meshsim(args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...ENTRY, ...args], {
      cwd: ROOT,
      env: { ...process.env, MESHSIM_DEBUG: '', NO_COLOR: '1', JOB_COMPLETION_INDEX: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const out = join(tmp, 'job');
let emitted: Outcome;
let job: Job;
let configMap: ConfigMap;
beforeAll(async () => {
  emitted = await meshsim([
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
  expect(emitted.code, emitted.stderr).toBe(0);
  const objects = parseAllDocuments(readFileSync(join(out, 'job.yaml'), 'utf8')).map(
    (d) => d.toJS() as { kind: string },
  );
  expect(objects.map((o) => o.kind)).toEqual(['ConfigMap', 'Job']);
  configMap = objects[0] as unknown as ConfigMap;
  job = objects[1] as unknown as Job;
}, 60_000);

describe('meshsim job', () => {
  it('writes a ConfigMap and an Indexed Job that the Kubernetes schema accepts', () => {
    expect(() => new Job(job).validate()).not.toThrow();
    expect(() => new ConfigMap(configMap).validate()).not.toThrow();
    // The validator has teeth: the same Job with a count that is not an integer is refused.
    const broken = structuredClone(job) as unknown as { spec: { completions: unknown } };
    broken.spec.completions = 'three';
    expect(() => new Job(broken as unknown as Job).validate()).toThrow(/completions/);
    expect(job.spec?.completionMode).toBe('Indexed');
    expect(job.spec?.completions).toBe(SHARDS);
    expect(job.spec?.parallelism).toBe(SHARDS);
    const pod = job.spec!.template.spec!;
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.volumes?.find((v) => v.name === 'results')?.persistentVolumeClaim?.claimName).toBe(
      'plan-results',
    );
    const c = pod.containers[0]!;
    expect(c.image).toBe('registry.example.com/meshsim:test');
    expect(c.args).toEqual(expect.arrayContaining(['--shard', `index/${SHARDS}`, '--resume']));
  });

  it('the ConfigMap carries the scenario unchanged', () => {
    const data = configMap.data!;
    expect(Object.keys(data)).toEqual(['tiny.yaml']);
    expect(scenarioHash(parseScenario(data['tiny.yaml']!, 'tiny.yaml'))).toBe(
      scenarioHash(loadScenario(scenario)),
    );
  });

  it('writes a Dockerfile whose every COPY source is in the repository', () => {
    const dockerfile = readFileSync(join(out, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:20\.20\.2-bookworm-slim$/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "bin\/meshsim\.mjs"\]$/m);
    const sources = [...dockerfile.matchAll(/^COPY (.+) \S+$/gm)].flatMap((m) => m[1]!.split(' '));
    expect(sources).toEqual(expect.arrayContaining(['package-lock.json', 'src', 'sim', 'bin', 'scripts']));
    for (const f of sources) expect(existsSync(join(ROOT, f)), f).toBe(true);
    expect(readFileSync(join(out, 'Dockerfile.dockerignore'), 'utf8')).toMatch(/^node_modules$/m);
  });
});

describe('the shard contract', () => {
  it('N pods, differing only in JOB_COMPLETION_INDEX, merge into the single-machine plan bytes', async () => {
    const c = job.spec!.template.spec!.containers[0]!;
    const mounts = new Map(c.volumeMounts!.map((m) => [m.name, m.mountPath]));
    const claim = join(tmp, 'claim');
    // The pod's command as the manifest has it, with the two mounts made local directories.
    const local = (arg: string) =>
      arg.replace(`${mounts.get('scenario')}/tiny.yaml`, scenario).replace(mounts.get('results')!, claim);
    const args = c.args!.map(local);
    const pods = await Promise.all(
      Array.from({ length: SHARDS }, (_, i) => meshsim(args, { JOB_COMPLETION_INDEX: String(i) })),
    );
    for (const pod of pods) expect(pod.code, pod.stderr).toBe(0);
    const dir = args[args.indexOf('--out') + 1]!;
    expect(readdirSync(dir).filter((f) => f.endsWith('.json'))).toEqual([
      'plan.shard-0-of-3.json',
      'plan.shard-1-of-3.json',
      'plan.shard-2-of-3.json',
    ]);
    const [single, merged] = await Promise.all([
      meshsim(['plan', scenario, ...PLAN, '--workers', '1', '--out', join(tmp, 'single')]),
      meshsim(['merge', dir, '--out', join(tmp, 'merged')]),
    ]);
    expect(single.code, single.stderr).toBe(0);
    expect(merged.code, merged.stderr).toBe(0);
    expect(readFileSync(join(tmp, 'merged', 'plan.json'), 'utf8')).toBe(
      readFileSync(join(tmp, 'single', 'plan.json'), 'utf8'),
    );
    // The tables are the same too.
    expect(merged.stdout).toBe(single.stdout);

    // A share of another scenario, or a share missing: refused, saying which and why.
    const other = await meshsim(['plan', foreign, ...PLAN, '--shard', '1/3', '--out', join(tmp, 'other')]);
    expect(other.code, other.stderr).toBe(0);
    const [mixed, partial] = await Promise.all([
      meshsim([
        'merge',
        join(dir, 'plan.shard-0-of-3.json'),
        join(tmp, 'other', 'plan.shard-1-of-3.json'),
        join(dir, 'plan.shard-2-of-3.json'),
      ]),
      meshsim(['merge', join(dir, 'plan.shard-0-of-3.json'), join(dir, 'plan.shard-2-of-3.json')]),
    ]);
    expectOneLineError(mixed, 'other/plan.shard-1-of-3.json: its scenario hash is not', 'different plans');
    expectOneLineError(partial, 'share 1 of 3 missing');
  }, 60_000);

  it('bad share specs are one-line usage errors (exit 2)', async () => {
    const runs = await Promise.all([
      meshsim(['plan', scenario, '--shard', '0/0', '--out', join(tmp, 'x')]),
      meshsim(['plan', scenario, '--shard', '3/2', '--out', join(tmp, 'x')]),
      meshsim(['plan', scenario, '--shard', 'garbage', '--out', join(tmp, 'x')]),
      meshsim(['plan', scenario, '--shard', 'index/3', '--out', join(tmp, 'x')]),
      meshsim(['plan', scenario, '--shard', 'index/3', '--out', join(tmp, 'x')], {
        JOB_COMPLETION_INDEX: '3',
      }),
      meshsim(['plan', scenario, '--shard', '0/2']),
    ]);
    expectOneLineError(runs[0]!, '--shard: found "0/0", expected N >= 1');
    expectOneLineError(runs[1]!, '--shard: found "3/2", expected I from 0 to 1');
    expectOneLineError(runs[2]!, '--shard: found "garbage", expected I/N');
    expectOneLineError(runs[3]!, 'JOB_COMPLETION_INDEX="", expected');
    expect(existsSync(join(tmp, 'x'))).toBe(false);
  }, 60_000);

  it('merge of something that is not a share is a one-line usage error', async () => {
    const notJson = join(tmp, 'bad.json');
    writeFileSync(notJson, '{');
    const plan = join(tmp, 'single', 'plan.json');
    const [bad, wrong] = await Promise.all([meshsim(['merge', notJson]), meshsim(['merge', plan])]);
    expectOneLineError(bad, 'not JSON');
    expectOneLineError(wrong, 'found no schema "meshsim/plan-shard/v1"');
  }, 60_000);
});

describe('parseShard', () => {
  it('reads I/N, and index/N from JOB_COMPLETION_INDEX', () => {
    expect(parseShard('2/5')).toEqual({ index: 2, count: 5 });
    expect(parseShard(' 0 / 1 ')).toEqual({ index: 0, count: 1 });
    expect(parseShard('index/4', { JOB_COMPLETION_INDEX: '3' })).toEqual({ index: 3, count: 4 });
    // An explicit index wins over the variable.
    expect(parseShard('1/4', { JOB_COMPLETION_INDEX: '3' })).toEqual({ index: 1, count: 4 });
    for (const v of ['', '1', '1/2/3', '-1/2', '1.5/2', 'a/b', '2/x'])
      expect(() => parseShard(v, {}), v).toThrow(UsageError);
    expect(() => parseShard('index/4', { JOB_COMPLETION_INDEX: 'x' })).toThrow(/JOB_COMPLETION_INDEX="x"/);
    expect(() => parseShard('index/3', { JOB_COMPLETION_INDEX: '3' })).toThrow(/an index from 0 to 2/);
  });
});

describe('planShardCommand and mergeCommand', () => {
  it('a share with nowhere to go, or a merge of nothing, is refused before any work', async () => {
    await expect(planShardCommand({ file: scenario, shard: '0/2' })).rejects.toThrow(/give --out DIR/);
    expect(() => mergeCommand({ inputs: [join(tmp, 'nowhere')] })).toThrow(/no such file or directory/);
    expect(() => mergeCommand({ inputs: [tmp] })).toThrow(/found no plan\.shard-I-of-N\.json/);
  });
});

describe('jobCommand', () => {
  const base = () => ({ file: scenario, claim: 'plan-results', image: 'meshsim:test', out: join(tmp, 'j') });
  const quiet = async (f: () => Promise<number>) => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      return await f();
    } finally {
      err.mockRestore();
    }
  };

  it('a scenario over 1 MiB cannot be a ConfigMap: refused, or read from the claim when asked', async () => {
    const big = join(tmp, 'big.yaml');
    writeFileSync(big, `${tinyText()}#${'x'.repeat(2 ** 20)}\n`);
    const b = { ...base(), file: big, out: join(tmp, 'big-job') };
    await expect(jobCommand(b)).rejects.toThrow(/more than a ConfigMap holds \(1 MiB\)/);
    expect(await quiet(() => jobCommand({ ...b, scenarioInClaim: 'inputs/big.yaml' }))).toBe(0);
    const docs = parseAllDocuments(readFileSync(join(b.out, 'job.yaml'), 'utf8')).map((d) => d.toJS() as Job);
    expect(docs.map((d) => d.kind)).toEqual(['Job']);
    expect(() => new Job(docs[0]!).validate()).not.toThrow();
    expect(docs[0]!.spec!.template.spec!.containers[0]!.args!.slice(0, 2)).toEqual([
      'plan',
      '/results/inputs/big.yaml',
    ]);
  });

  it('flags the Job sets itself, bad names and unknown types are usage errors', async () => {
    await expect(jobCommand({ ...base(), shard: '0/2' })).rejects.toThrow(/use --shards N/);
    await expect(jobCommand({ ...base(), workers: 4 })).rejects.toThrow(/set by --cpu/);
    await expect(jobCommand({ ...base(), name: 'Plan_1' })).rejects.toThrow(/--name: found "Plan_1"/);
    await expect(jobCommand({ ...base(), memory: '4 GB' })).rejects.toThrow(/Kubernetes quantity/);
    await expect(jobCommand({ ...base(), scenarioInClaim: '../x.yaml' })).rejects.toThrow(/inside the claim/);
    await expect(jobCommand({ ...base(), types: 'm9.huge' })).rejects.toThrow(UsageError);
    await expect(jobCommand({ ...base(), shards: 0 })).rejects.toThrow(UsageError);
  });

  it('forwards the plan flags as given and defaults to one pod per group of alike chains', async () => {
    const o = { ...base(), out: join(tmp, 'fwd'), growth: '1,2', types: 'pool,m5.xlarge,m6i.xlarge' };
    expect(await quiet(() => jobCommand({ ...o, cpuTarget: 0.6, warmup: '2s', force: true }))).toBe(0);
    const j = parseAllDocuments(readFileSync(join(o.out, 'job.yaml'), 'utf8'))[1]!.toJS() as Job;
    // 2 growths x 3 architectures x (pool, and m5/m6i.xlarge together)
    expect(j.spec!.completions).toBe(12);
    const args = j.spec!.template.spec!.containers[0]!.args!;
    expect(args.slice(9)).toEqual([
      '--types',
      'pool,m5.xlarge,m6i.xlarge',
      '--growth',
      '1,2',
      '--cpu-target',
      '0.6',
      '--warmup',
      '2s',
      '--force',
    ]);
  });
});
