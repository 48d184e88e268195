// The wider inlining budget a long replication sets (replication/inlining.ts): only for runs long enough
// to gain by it, and with results byte-identical to V8's default budget.
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/index.ts';
import { INLINING_FLAGS, widensInlining } from '../../src/simulate/replication/inlining.ts';
import { QUICKSTART, ROOT, run } from '../cli/helpers.ts';

describe('inlining budget', () => {
  it('is widened for a long replication only', () => {
    const s = loadScenario(`${ROOT}${QUICKSTART}`);
    expect(widensInlining(s)).toBe(false);
    const requests = s.traffic.reduce((n, e) => n + e.rate, 0) * s.simulation.duration;
    const scaled = { ...s, traffic: s.traffic.map((e) => ({ ...e, rate: (e.rate * 500_000) / requests })) };
    expect(widensInlining(scaled)).toBe(true);
  });

  it('changes no result: the same JSON with the wider budget from the start', () => {
    const args = [
      '--import',
      'tsx',
      'src/cli/main.ts',
      'run',
      QUICKSTART,
      '--arch',
      'sidecar,ambient',
      '--duration',
      '6s',
      '--replications',
      '2',
      '--workers',
      '1',
      '--json',
    ];
    const plain = run(process.execPath, args);
    const widened = run(process.execPath, [...INLINING_FLAGS, ...args]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(widened.code, widened.stderr).toBe(0);
    expect(plain.stdout.length).toBeGreaterThan(1000);
    expect(widened.stdout).toBe(plain.stdout);
  });
});
