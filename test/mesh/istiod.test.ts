// istiod's modelled usage against Istio's published control-plane figure (SOURCES.md section 1).
import { describe, expect, it } from 'vitest';
import { istiodUsage } from '../../src/mesh/index.ts';
import { DEFAULT_MESH, ISTIOD_PUBLISHED } from '../../src/scenario/defaults.ts';

const Mi = 1024 * 1024;

describe('istiod usage', () => {
  it('reproduces the published 1 vCPU / 1.5 GB at 1,000 services and 2,000 sidecars', () => {
    const u = istiodUsage(DEFAULT_MESH, {
      proxies: ISTIOD_PUBLISHED.proxies,
      services: ISTIOD_PUBLISHED.services,
      pods: ISTIOD_PUBLISHED.pods,
      configObjects: 0,
    });
    expect(u.memory / 1.5e9).toBeCloseTo(1, 2);
    expect(u.cpu).toBeCloseTo(1, 6);
  });

  it('a handful of pods uses far less than the 512 Mi sizing floor and the 2 Gi request', () => {
    const u = istiodUsage(DEFAULT_MESH, { proxies: 6, services: 3, pods: 6, configObjects: 0 });
    // 100 Mi base + 3 x 0.14 + 6 x 0.1 + 6 x 0.495 Mi
    expect(u.memory / Mi).toBeCloseTo(100 + 0.42 + 0.6 + 6 * 0.4953, 1);
    expect(u.memory).toBeLessThan(512 * Mi);
  });

  it('memory grows with connected proxies, services and pods; CPU with pushes', () => {
    const base = { proxies: 100, services: 50, pods: 100, configObjects: 0 };
    const u = istiodUsage(DEFAULT_MESH, base);
    for (const k of ['proxies', 'services', 'pods'] as const) {
      expect(istiodUsage(DEFAULT_MESH, { ...base, [k]: base[k] * 2 }).memory).toBeGreaterThan(u.memory);
    }
    const busier = { ...DEFAULT_MESH, istiod: { ...DEFAULT_MESH.istiod, configChangesPerSecond: 3 } };
    expect(istiodUsage(busier, base).cpu).toBeCloseTo(3 * u.cpu, 9);
  });

  it('no connected proxy, no control-plane load', () => {
    expect(istiodUsage(DEFAULT_MESH, { proxies: 0, services: 5, pods: 5, configObjects: 0 })).toEqual({
      cpu: 0,
      memory: 0,
      pushesPerSecond: 0,
    });
  });
});
