// Background CPU and memory of mesh components: hand calculations from the coefficients and monotonicity.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  envoyIdleCpu,
  IDLE_DEFAULTS,
  waypointMemory,
  withIdleDefaults,
  ztunnelConnectionBuffers,
  ztunnelIdleCpu,
  ztunnelMemory,
} from '../../src/mesh/idle.ts';

const MiB = 2 ** 20;

describe('Envoy background CPU', () => {
  it('an idle sidecar with a small config sits in the reported 5-20m range, and grows with config held', () => {
    const small = envoyIdleCpu({ clusters: 50, endpoints: 100 }, 0);
    const mesh = envoyIdleCpu({ clusters: 1000, endpoints: 3000 }, 0);
    expect(small).toBeCloseTo(0.004 + 50e-5, 12);
    expect(mesh).toBeCloseTo(0.014, 12);
    expect(small).toBeGreaterThanOrEqual(0.004);
    expect(mesh).toBeLessThanOrEqual(0.02);
  });

  it('xDS pushes add their rate times the cost of one incremental EDS update (one cluster, its endpoints)', () => {
    const cfg = { clusters: 200, endpoints: 1000 };
    const perPush = 0.002 + 5e-5 + (1000 / 200) * 5e-6; // 0.002075 core-seconds
    expect(envoyIdleCpu(cfg, 2) - envoyIdleCpu(cfg, 0)).toBeCloseTo(2 * perPush, 12);
    // An unscoped sidecar of a 1,000-service, 30,000-endpoint mesh at 1 change/s stays in the 5-20m
    // idle range reported for sidecars (SOURCES.md section 4), not the 0.2 cores a full rebuild would cost.
    expect(envoyIdleCpu({ clusters: 1000, endpoints: 30000 }, 1)).toBeLessThan(0.02);
  });

  it('coefficients are overridable', () => {
    const c = withIdleDefaults({ envoyBaseCpu: 0.01 });
    expect(envoyIdleCpu({ clusters: 0, endpoints: 0 }, 0, c)).toBe(0.01);
    expect(IDLE_DEFAULTS.envoyBaseCpu).toBe(0.004);
  });
});

describe('ztunnel', () => {
  it('copy buffers: three of 1 KiB, then 16 KiB - 64 after 128 KiB, then 256 KiB - 64 after 10 MiB', () => {
    expect(ztunnelConnectionBuffers(0)).toBe(3 * 1024);
    expect(ztunnelConnectionBuffers(128 * 1024 - 1)).toBe(3 * 1024);
    expect(ztunnelConnectionBuffers(128 * 1024)).toBe(3 * 16_320);
    expect(ztunnelConnectionBuffers(10 * MiB)).toBe(3 * 262_080);
  });

  it('a light connection costs the measured 0.03 MiB', () => {
    const empty = { clusterWorkloads: 0, clusterServices: 0, localWorkloads: 0, connectionBytes: [] };
    const one = { ...empty, connectionBytes: [1000] };
    expect(ztunnelMemory(one) - ztunnelMemory(empty)).toBeCloseTo(0.03 * MiB, 6);
    expect(ztunnelMemory(empty)).toBe(64 * MiB);
  });

  it('memory rises with the pods scheduled on its own node, not only with the cluster', () => {
    const cluster = { clusterWorkloads: 5000, clusterServices: 500, connectionBytes: [] };
    const quiet = ztunnelMemory({ ...cluster, localWorkloads: 5 });
    const busy = ztunnelMemory({ ...cluster, localWorkloads: 60 });
    expect(busy - quiet).toBe(55 * 64 * 1024);
    expect(quiet).toBe(64 * MiB + 5000 * 8 * 1024 + 500 * 3.5 * 1024 + 5 * 64 * 1024);
  });

  it('memory never falls when connections, bytes or workloads grow (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(50 * MiB), { maxLength: 20 }),
        fc.nat(50 * MiB),
        fc.nat(100),
        (bytes, extra, pods) => {
          const h = {
            clusterWorkloads: 100,
            clusterServices: 10,
            localWorkloads: pods,
            connectionBytes: bytes,
          };
          const base = ztunnelMemory(h);
          expect(ztunnelMemory({ ...h, connectionBytes: [...bytes, extra] })).toBeGreaterThan(base);
          expect(
            ztunnelMemory({ ...h, connectionBytes: bytes.map((b) => b + extra) }),
          ).toBeGreaterThanOrEqual(base);
          expect(ztunnelMemory({ ...h, localWorkloads: pods + 1 })).toBeGreaterThan(base);
        },
      ),
    );
  });

  it('background CPU: 0.04 cores per 1000 open connections', () => {
    expect(ztunnelIdleCpu(10_000, 0) - ztunnelIdleCpu(0, 0)).toBeCloseTo(0.4, 12);
  });
});

describe('waypoint memory', () => {
  it('base, config and keep-alive connections', () => {
    expect(waypointMemory({ clusters: 10, endpoints: 50 }, 1000)).toBeCloseTo(
      (75 + 10 * 0.092 + 50 * 0.018 + 1000 * 0.07) * MiB,
      3,
    );
  });
});
