import { place } from '../../src/cluster/index.ts';
import { configSize, envoyFullPushCpu, withIdleDefaults } from '../../src/mesh/index.ts';
import {
  type Architecture,
  DEFAULT_SIDECAR_STARTUP,
  parseScenario,
  type Scenario,
} from '../../src/scenario/index.ts';
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

/**
 * A new pod's sidecar start, by hand: lifecycle.sidecarStartup (2 s by default) plus the full push of the
 * configuration its owner's sidecars hold, at one core (simulate/replication/disruption-host.ts).
 */
export function sidecarStart(e: Replication, owner: string): number {
  const w = e.w;
  const size = configSize(w.scenario, w.placement, 'sidecar', owner);
  return (
    (w.scenario.lifecycle.sidecarStartup ?? DEFAULT_SIDECAR_STARTUP) +
    envoyFullPushCpu(size, withIdleDefaults(w.scenario.mesh.idle))
  );
}
