// Runs that cannot fit are refused before any simulation, as input errors naming the knob (exit 2).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { meshsim } from './helpers.ts';

const tmp = mkdtempSync(join(tmpdir(), 'meshsim-guards-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('pre-run guards', () => {
  it('run: a week at 100,000 req/s is refused with the estimate and the knobs (a week at 1 req/s fits: its series is capped)', () => {
    const file = join(tmp, 'week.yaml');
    writeFileSync(
      file,
      `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: week }
cluster:
  nodePools: [{ name: p, instanceType: m5.xlarge, count: 2 }]
services: [{ name: a, replicas: 2 }]
traffic: [{ name: web, to: a, rate: 100000/s }]
simulation: { duration: 168h, timeStep: 1s }
`,
    );
    const o = meshsim(['run', file]);
    expect(o.code, o.stderr).toBe(2);
    expect(o.stderr).toMatch(/would take about/);
    expect(o.stderr).toMatch(/--force/);
    expect(o.stdout).toBe('');
  });

  it('plan: a growth factor of 1e9 is a usage error', () => {
    const o = meshsim(['plan', 'scenarios/three-tier.yaml', '--growth', '1e9']);
    expect(o.code).toBe(2);
    expect(o.stderr).toMatch(/--growth: .* at most 1000/);
  });
});
