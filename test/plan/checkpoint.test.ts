// A checkpoint of a saturated count, where nothing completed and every latency is NaN (null in JSON),
// must be trusted on --resume like any other: otherwise the resumed plan simulates it again.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { directoryStore, type Sample } from '../../src/plan/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'meshsim-checkpoint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('reads back a sample whose latencies are NaN', () => {
  const sample: Sample = {
    nodes: 1,
    unschedulable: 0,
    memoryShortNodes: 0,
    memoryExcess: 0,
    cpu: { mean: 1, max: 3.5 },
    entryPoints: [
      {
        name: 'web',
        p50: Number.NaN,
        p99: Number.NaN,
        p999: Number.NaN,
        slo: [{ quantile: 'p99', target: 0.1, value: Number.NaN, met: false, half: 0.004 }],
      },
    ],
    monthly: { nodes: 73, crossZone: 0, proxyFee: 0, total: 73 },
    meshShare: 0,
    replications: 2,
    usage: { application: 3.5 },
    cpuRel: 0.02,
    ztunnelForBusiest: null,
  };
  directoryStore(dir, false).put('k', sample);
  const back = directoryStore(dir, true).get('k');
  expect(back).toBeDefined();
  expect(back!.entryPoints[0]!.p99).toBeNaN();
  expect(back!.entryPoints[0]!.slo[0]!.value).toBeNaN();
  expect(back!.usage).toEqual({ application: 3.5 });
  // the intervals behind a row's open verdicts (undecided.ts) survive a resume
  expect(back!.entryPoints[0]!.slo[0]!.half).toBe(0.004);
  expect(back!.cpuRel).toBe(0.02);
});
