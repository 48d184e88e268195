// What every rule reads: the scenario (from a scenario file, or imported from manifests), the manifests
// when there are any, the platform settings, and the architectures the check is asked about.
import type { Inventory, Manifest } from '../import/index.ts';
import type { Architecture, DataplaneMode, Scenario } from '../scenario/index.ts';
import type { Arch, FindingObject } from './finding.ts';
import type { Platform } from './platform.ts';

export interface CheckContext {
  scenario?: Scenario;
  inventory?: Inventory;
  platform: Platform;
  /** Architectures compared (a scenario's `compare`; for manifests `as-labelled` and `ambient`). */
  compare: readonly Architecture[];
  /**
   * The check runs before `meshsim run` simulates the scenario: rules whose finding the results state
   * anyway, and which would have to place the cluster to find it, stay quiet.
   */
  simulating?: boolean;
  /** Where a scenario object (service key, waypoint or namespace name) is written. */
  locate(kind: 'service' | 'waypoint' | 'namespace' | 'traffic' | 'daemonSet', key: string): FindingObject;
}

/**
 * The data-plane modes a manifest workload of this as-labelled mode is checked in over the compared
 * architectures: a whole architecture moves every workload, the unlabelled too (the migration question a
 * manifest check answers; workload-modes.ts whatIf says so). A scenario's services follow the simulator
 * instead (scenario-modes.ts serviceModes): an unlabelled namespace stays out of the mesh there.
 */
export function modesOver(
  compare: readonly Architecture[],
  labelled: DataplaneMode,
  injectable = true,
): Set<Arch> {
  const out = new Set<Arch>();
  for (const a of compare) {
    if (a === 'as-labelled') out.add(labelled);
    else if (a === 'sidecar') out.add(injectable ? 'sidecar' : 'none');
    else out.add(a);
  }
  return out;
}

export function manifestObject(m: Manifest): FindingObject {
  return {
    kind: m.kind,
    name: m.name,
    ...(m.namespace ? { namespace: m.namespace } : {}),
    file: m.source.file,
    line: m.source.line,
  };
}
