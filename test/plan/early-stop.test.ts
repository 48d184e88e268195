// Early stop of a candidate's replications: stops at two when every verdict is clear, runs them all
// when an SLO sits inside its interval, and a stopped run is exactly the first replications of a full one.
import { describe, expect, it } from 'vitest';
import { onPool, simulateJob } from '../../src/plan/index.ts';
import type { Scenario } from '../../src/scenario/index.ts';
import { simulateArchitecture } from '../../src/simulate/index.ts';
import { tiny } from './fixture.ts';

function threeReps(slo: string, nodes = 2): Scenario {
  const s = tiny({ replicas: 4, cpu: '450m', slo, serviceTime: '2ms', rate: '200/s' });
  s.simulation.replications = 3;
  return onPool(s, s.cluster.nodePools[0]!, nodes);
}

describe('simulateJob with a stop rule', () => {
  it('stops after two replications when every SLO and the CPU target are clearly met', () => {
    const s = threeReps('{ p99: 1s }');
    const out = simulateJob({ scenario: s, arch: 'sidecar', stop: { cpuTarget: 0.7 } });
    expect(out.replications).toBe(2);
    // Exactly the first two replications of the full run.
    const two = simulateArchitecture({ ...s, simulation: { ...s.simulation, replications: 2 } }, 'sidecar');
    expect(out.result.entryPoints[0]!.latency.p99).toEqual(two.entryPoints[0]!.latency.p99);
    expect(out.result.totals.cpuUsed).toEqual(two.totals.cpuUsed);
  });

  it('runs every replication when an SLO lies inside its interval, or without a rule', () => {
    const probe = threeReps('{ p99: 1s }');
    const two = simulateArchitecture(
      { ...probe, simulation: { ...probe.simulation, replications: 2 } },
      'none',
    );
    // The SLO set to the two-replication mean itself: no interval can exclude it.
    const p99 = two.entryPoints[0]!.latency.p99.mean;
    const s = threeReps(`{ p99: ${p99 * 1e3}ms }`);
    expect(simulateJob({ scenario: s, arch: 'none', stop: { cpuTarget: 0.7 } }).replications).toBe(3);
    expect(simulateJob({ scenario: threeReps('{ p99: 1s }'), arch: 'none' }).replications).toBe(3);
  });

  it('runs every replication when the busiest node sits on the CPU target', () => {
    const s = threeReps('{ p99: 1s }', 1);
    const full = simulateArchitecture({ ...s, simulation: { ...s.simulation, replications: 2 } }, 'none');
    const used = full.totals.cpuUsed.mean;
    // One 2-core node: planned busiest = used / 2; a target equal to it cannot be decided.
    expect(simulateJob({ scenario: s, arch: 'none', stop: { cpuTarget: used / 2 } }).replications).toBe(3);
  });
});
