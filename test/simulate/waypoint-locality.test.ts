// Since Istio 1.24 a waypoint's Service prefers close replicas (mesh/waypoint-locality.ts): a caller
// connects to a waypoint replica in its own zone when one is ready there (replication/locality.ts); the
// waypoint then ranks a PreferClose service's endpoints by its own zone (endpoint-choice.ts pickPerRequest).
import { describe, expect, it } from 'vitest';
import { place } from '../../src/cluster/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { simulateArchitecture } from '../../src/simulate/index.ts';
import { handScenarioText } from '../helpers/scenario-text.ts';

// Three zones, a node each: three client pods, three api pods (PreferClose) and three waypoint replicas.
function scenario(version: string) {
  return parseScenario(scenarioText(version), 'test.yaml');
}

function scenarioText(version: string): string {
  let text = handScenarioText({
    compare: ['ambient'],
    label: 'ambient',
    clientMode: 'same-as-target',
    nodes: 3,
    zones: ['zone-a', 'zone-b', 'zone-c'],
    replicas: 3,
    rate: '300/s',
    arrival: 'poisson',
    connection: 'per-request',
    duration: '5s',
    warmup: '1s',
  });
  text = text
    .replace('    clientMode:', '    clients: 3\n    clientMode:')
    .replace('    replicas: 3\n', '    replicas: 3\n    trafficDistribution: PreferClose\n')
    .replace(
      '    labels: { istio.io/dataplane-mode: ambient }\n',
      '    labels: { istio.io/dataplane-mode: ambient, istio.io/use-waypoint: wp }\n',
    )
    .replace('services:\n', 'waypoints:\n  - { name: wp, namespace: app, replicas: 3 }\nservices:\n')
    .replace('compare: [ambient]\n', `mesh: { version: "${version}" }\ncompare: [ambient]\n`);
  return text;
}

describe('waypoint replicas in the caller zone', () => {
  it('one of each kind of pod in every zone', () => {
    const placed = place(scenario('1.28'), 'ambient');
    const zonesOf = (kind: string) =>
      new Set(placed.pods.filter((p) => p.kind === kind && p.node >= 0).map((p) => p.zone)).size;
    expect(zonesOf('app')).toBe(3);
    expect(zonesOf('client')).toBe(3);
    expect(zonesOf('waypoint')).toBe(3);
  });

  it('1.28: every request stays in its zone (waypoint and api both close); 1.23: a waypoint anywhere', () => {
    const close = simulateArchitecture(scenario('1.28'), 'ambient');
    expect(close.entryPoints[0]!.completed.mean).toBeGreaterThan(1000);
    expect(close.network.crossZoneBytesPerSecond.mean).toBe(0);
    // Before 1.24 the waypoint Service has no PreferClose: two callers in three reach another zone's.
    const any = simulateArchitecture(scenario('1.23'), 'ambient');
    const all = any.network.bytesPerSecond.mean;
    expect(any.network.crossZoneBytesPerSecond.mean).toBeGreaterThan(0.3 * all);
  });
});

describe('a waypoint in another zone than its caller', () => {
  it('sends a PreferClose service its zone endpoints, not the caller zone ones', () => {
    // One waypoint replica: callers in the two other zones reach it across a zone, and it picks api's pod
    // in its own zone. Had the caller's zone chosen, the waypoint -> api leg would cross back too.
    const s = parseScenario(
      scenarioText('1.28').replace('replicas: 3 }\nservices:', 'replicas: 1 }\nservices:'),
      'test.yaml',
    );
    const r = simulateArchitecture(s, 'ambient');
    expect(place(s, 'ambient').pods.filter((p) => p.kind === 'waypoint' && p.node >= 0)).toHaveLength(1);
    // Two legs of equal bytes per request (caller -> waypoint, waypoint -> api): the first crosses for two
    // callers in three, the second never, so a third of the bytes cross (two thirds when the caller's
    // zone chose api's pod).
    const cross = r.network.crossZoneBytesPerSecond.mean / r.network.bytesPerSecond.mean;
    expect(cross).toBeGreaterThan(0.3);
    expect(cross).toBeLessThan(0.37);
  });
});
