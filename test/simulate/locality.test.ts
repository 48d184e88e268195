// trafficDistribution: PreferClose (replication/locality.ts): with ready endpoints in every zone no byte
// crosses a zone, in every architecture; without it a third of the calls of three zones stay local.
import { describe, expect, it } from 'vitest';
import { place } from '../../src/cluster/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { simulateArchitecture } from '../../src/simulate/index.ts';
import { handScenarioText } from '../helpers/scenario-text.ts';

function scenario(preferClose: boolean, arch: 'none' | 'sidecar' | 'ambient') {
  const label = arch;
  let text = handScenarioText({
    compare: [arch],
    label,
    clientMode: arch === 'none' ? 'none' : 'same-as-target',
    nodes: 3,
    zones: ['zone-a', 'zone-b', 'zone-c'],
    replicas: 3,
    rate: '300/s',
    arrival: 'poisson',
    connection: 'per-request',
    duration: '5s',
    warmup: '1s',
  });
  text = text.replace('    clientMode:', '    clients: 3\n    clientMode:');
  if (preferClose)
    text = text.replace('    replicas: 3\n', '    replicas: 3\n    trafficDistribution: PreferClose\n');
  return parseScenario(text, 'test.yaml');
}

describe('trafficDistribution: PreferClose', () => {
  for (const arch of ['none', 'sidecar', 'ambient'] as const) {
    it(`${arch}: replicas in every zone, no cross-zone bytes; without it, some`, () => {
      const s = scenario(true, arch);
      const close = simulateArchitecture(s, arch);
      // One server and one client pod per zone.
      const placed = place(s, arch);
      const zonesOf = (kind: string) =>
        new Set(placed.pods.filter((p) => p.kind === kind).map((p) => p.zone)).size;
      expect(zonesOf('app')).toBe(3);
      expect(zonesOf('client')).toBe(3);
      expect(close.entryPoints[0]!.throughput.mean).toBeGreaterThan(250);
      expect(close.network.crossZoneBytesPerSecond.mean).toBe(0);
      const spread = simulateArchitecture(scenario(false, arch), arch);
      // Spread at random over three zones, about two thirds of the calls leave their zone.
      const total = spread.network.bytesPerSecond.mean;
      expect(spread.network.crossZoneBytesPerSecond.mean).toBeGreaterThan(0.4 * total);
      expect(spread.network.crossZoneBytesPerSecond.mean).toBeLessThan(0.9 * total);
    });
  }
});
