// `meshsim plan` as the CLI calls it: files written, flags checked, checkpoints reused.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { planCommand } from '../../src/cli/commands/plan.ts';
import { UsageError } from '../../src/cli/errors.ts';
import { tinyText } from './fixture.ts';

const dir = mkdtempSync(join(tmpdir(), 'meshsim-plan-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'tiny.yaml');
writeFileSync(file, tinyText({ replicas: 4, cpu: '450m' }));

async function quiet(f: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out += String(s);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err += String(s);
    return true;
  });
  try {
    return { code: await f(), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe('planCommand', () => {
  const out = join(dir, 'out');
  const args = { file, types: 'pool,m5.large', growth: '1,2', workers: 1, out };

  it('prints the table, writes plan.json and a checkpoint per simulation', async () => {
    const r = await quiet(() => planCommand(args));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Growth x1\n/);
    expect(r.out).toMatch(/Growth x2\n/);
    const plan = JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8'));
    expect(plan.schema).toBe('meshsim/plan/v1');
    expect(plan.rows).toHaveLength(12);
    // Every row says what set its count, in the table and the JSON.
    expect(r.out).toMatch(/bound by/);
    for (const row of plan.rows) {
      expect(['pods', 'memory', 'cpu-target', 'slo', 'max-nodes', 'daemonsets', 'none']).toContain(
        row.binding.constraint,
      );
      if (row.feasible && row.nodes > 1) expect(row.binding.nodes).toBe(row.nodes - 1);
    }
    const sims = Number(/(\d+) simulations run/.exec(r.err)![1]);
    const screens = Number(/(\d+) short screening runs?/.exec(r.err)![1]);
    expect(readdirSync(join(out, '.meshsim-checkpoint'))).toHaveLength(sims + screens);
  });

  it('--resume reuses every checkpoint and --json prints the same plan', async () => {
    const before = readFileSync(join(out, 'plan.json'), 'utf8');
    const r = await quiet(() => planCommand({ ...args, resume: true, json: true }));
    expect(r.err).toMatch(/ 0 simulations run, \d+ reused/);
    expect(r.out).toBe(before);
  });

  it('turns bad flags into usage errors', async () => {
    await expect(planCommand({ file, types: 'm9.huge' })).rejects.toThrow(UsageError);
    await expect(planCommand({ file, growth: '1,x' })).rejects.toThrow(/--growth/);
    await expect(planCommand({ file, resume: true })).rejects.toThrow(/--resume needs/);
    await expect(planCommand({ file, headroom: 1 })).rejects.toThrow(UsageError);
  });
});
