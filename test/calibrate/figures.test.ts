// How each published figure is read off simulated results, checked by hand on made-up results: CPU per
// proxy normalised to 1000 rps through it and averaged over the proxies that carried requests; memory in
// MB; added latency as the difference to no mesh, in ms.
import { describe, expect, it } from 'vitest';
import { FIGURES } from '../../src/calibrate/index.ts';
import type { ArchResult } from '../../src/simulate/index.ts';

const proxy = (component: string, requestsPerSecond: number, cpu: number, memory: number) => ({
  component,
  requestsPerSecond,
  cpu,
  memory,
});
const arch = (busiestProxies: unknown[], p90: number, p99: number) =>
  ({
    busiestProxies,
    entryPoints: [{ latency: { p90: { mean: p90 }, p99: { mean: p99 } } }],
  }) as unknown as ArchResult;

const by = new Map<string, ArchResult>([
  ['none', arch([], 0.001, 0.002)],
  [
    'sidecar',
    arch(
      [
        proxy('sidecar', 1000, 0.2, 60e6),
        proxy('sidecar', 500, 0.12, 50e6),
        proxy('sidecar', 0, 0.01, 40e6), // carried nothing: not averaged
      ],
      0.00125,
      0.0023,
    ),
  ],
  ['ambient', arch([proxy('ztunnel', 2000, 0.1, 12e6), proxy('waypoint', 1000, 0.25, 60e6)], 0.0012, 0.0022)],
]);
const read = (figure: string) => FIGURES.find((f) => f.figure === figure)!.read(by);

describe('calibration figures', () => {
  it('CPU per 1000 rps: each proxy normalised to 1000 rps through it, averaged', () => {
    // (0.2 / 1 + 0.12 / 0.5) / 2 = 0.22
    expect(read('sidecar CPU per 1000 rps')).toBeCloseTo(0.22, 12);
    expect(read('ztunnel CPU per 1000 rps')).toBeCloseTo(0.05, 12);
    expect(read('waypoint CPU per 1000 rps')).toBeCloseTo(0.25, 12);
  });

  it('memory in MB, averaged over the proxies that carried requests', () => {
    expect(read('sidecar memory')).toBeCloseTo(55, 12);
    expect(read('ztunnel memory')).toBeCloseTo(12, 12);
  });

  it('added latency: the quantile over no mesh, in ms', () => {
    expect(read('latency added by two sidecars, P90')).toBeCloseTo(0.25, 9);
    expect(read('latency added by two sidecars, P99')).toBeCloseTo(0.3, 9);
    expect(read('latency added by two ztunnels, P90')).toBeCloseTo(0.2, 9);
    expect(read('latency added by two ztunnels, P99')).toBeCloseTo(0.2, 9);
  });

  it('every figure cites its source and names a bundled calibration scenario', () => {
    for (const f of FIGURES) {
      expect(f.source).toMatch(/^https:\/\/istio\.io\/v1\.\d+\//);
      expect(['istio-1.24.yaml', 'waypoint-1.24.yaml']).toContain(f.scenario);
      expect(f.published).toBeGreaterThan(0);
    }
  });
});
