import { place } from '../../src/cluster/index.ts';
import { type Architecture, parseScenario, type Scenario } from '../../src/scenario/index.ts';
import { buildWorld, Engine } from '../../src/simulate/index.ts';

export function scenario(yaml: string): Scenario {
  return parseScenario(yaml, 'test.yaml');
}

export function engineFor(s: Scenario, arch: Architecture, seed = 'events-test'): Engine {
  return new Engine(buildWorld(s, place(s, arch)), seed);
}

/** offered = completed + failed + in flight, per entry point (counted independently by the engine). */
export function conserved(e: Engine): boolean {
  const k = e.calls;
  return e.w.scenario.traffic.every((_, i) => {
    let inFlight = 0;
    for (let id = 0; id < k.capacity; id++) {
      if (
        k.inUse[id] &&
        k.parent[id] === -1 &&
        k.measured[id] &&
        !k.abandoned[id] &&
        e.w.edges[k.edge[id]!]!.entry === i
      )
        inFlight++;
    }
    return e.entryOffered[i] === e.entryCompleted[i]! + e.entryFailed[i]! + inFlight;
  });
}
