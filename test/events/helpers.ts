import { place } from '../../src/cluster/index.ts';
import { type Architecture, parseScenario, type Scenario } from '../../src/scenario/index.ts';
import { buildWorld, Replication } from '../../src/simulate/index.ts';

export function scenario(yaml: string): Scenario {
  return parseScenario(yaml, 'test.yaml');
}

export function engineFor(s: Scenario, arch: Architecture, seed = 'events-test'): Replication {
  return new Replication(buildWorld(s, place(s, arch)), seed);
}

/** offered = completed + failed + in flight, per entry point (in flight read off the call table). */
export function conserved(e: Replication): boolean {
  return e.w.scenario.traffic.every(
    (_, i) =>
      e.recorder.entryOffered[i] ===
      e.recorder.entryCompleted[i]! + e.recorder.entryFailed[i]! + e.entryInFlight(i),
  );
}
