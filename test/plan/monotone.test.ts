// More load, or more requested per pod, never needs fewer nodes: random small clusters, planned twice
// with the same seed, the second time with more traffic (or integer growth, or bigger requests).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { growScenario, runPlan } from '../../src/plan/index.ts';
import type { Architecture } from '../../src/scenario/index.ts';
import { type Tiny, tiny } from './fixture.ts';

const ARCHS: Architecture[] = ['none', 'sidecar', 'ambient'];

async function nodes(o: Tiny, arch: Architecture, growth = 1): Promise<number> {
  const { plan } = await runPlan(tiny(o), {
    instanceTypes: ['pool'],
    architectures: [arch],
    growth: [growth],
    maxNodes: 40,
  });
  // An infeasible row (beyond the cap) needs more than any feasible one.
  return plan.rows[0]!.nodes ?? Number.POSITIVE_INFINITY;
}

const base = fc.record({
  arch: fc.constantFrom(...ARCHS),
  vcpu: fc.constantFrom('1', '2'),
  replicas: fc.integer({ min: 1, max: 12 }),
  cpu: fc.integer({ min: 20, max: 600 }),
  rate: fc.integer({ min: 10, max: 1500 }),
  serviceTime: fc.constantFrom('2ms', '5ms', '10ms'),
  // Keep-alive pools pin connections to the pods an L4 balancer drew: uneven pods, as in three-tier.
  connection: fc.constantFrom('per-request', 'keepalive'),
});
type Base = typeof base extends fc.Arbitrary<infer T> ? T : never;

const tinyOf = (b: Base, o: Partial<Tiny> = {}): Tiny => ({
  vcpu: b.vcpu,
  replicas: b.replicas,
  cpu: `${b.cpu}m`,
  rate: `${b.rate}/s`,
  serviceTime: b.serviceTime,
  connection: b.connection,
  ...o,
});

describe('the plan is monotone (same seed)', () => {
  it('in the traffic rate', async () => {
    await fc.assert(
      fc.asyncProperty(base, fc.double({ min: 1, max: 3, noNaN: true }), async (b, k) => {
        const more = Math.round(b.rate * k);
        expect(await nodes(tinyOf(b, { rate: `${more}/s` }), b.arch)).toBeGreaterThanOrEqual(
          await nodes(tinyOf(b), b.arch),
        );
      }),
      { numRuns: 40 },
    );
  });

  it('in integer growth (more pods, each as loaded as before)', async () => {
    await fc.assert(
      fc.asyncProperty(base, fc.integer({ min: 2, max: 3 }), async (b, g) => {
        expect(await nodes(tinyOf(b), b.arch, g)).toBeGreaterThanOrEqual(await nodes(tinyOf(b), b.arch));
      }),
      { numRuns: 25 },
    );
  });

  it('in the CPU and memory each pod requests', async () => {
    await fc.assert(
      fc.asyncProperty(
        base,
        fc.integer({ min: 0, max: 600 }),
        fc.integer({ min: 0, max: 3000 }),
        async (b, extraCpu, extraMem) => {
          const bigger = tinyOf(b, { cpu: `${b.cpu + extraCpu}m`, mem: `${512 + extraMem}M` });
          expect(await nodes(bigger, b.arch)).toBeGreaterThanOrEqual(await nodes(tinyOf(b), b.arch));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('a sidecar per pod never needs fewer nodes than no mesh', async () => {
    await fc.assert(
      fc.asyncProperty(base, async (b) => {
        expect(await nodes(tinyOf(b), 'sidecar')).toBeGreaterThanOrEqual(await nodes(tinyOf(b), 'none'));
      }),
      { numRuns: 30 },
    );
  });

  it('growth scales replicas and rates exactly at integer factors', () => {
    const s = growScenario(tiny({ replicas: 3, rate: '40/s' }), 3);
    expect(s.services[0]!.replicas).toBe(9);
    expect(s.traffic[0]!.rate).toBe(120);
  });
});
