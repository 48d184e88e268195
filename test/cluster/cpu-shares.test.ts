// The kubelet's CPU arithmetic, checked against hand calculations from its source.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  containerCfs,
  flatWeights,
  milliCpuToQuota,
  milliCpuToShares,
  podCfs,
  qosClass,
  sharesToWeight,
} from '../../src/cluster/cpu-shares.ts';

describe('MilliCPUToShares and MilliCPUToQuota', () => {
  it('1024 shares per core, integer division, clamped to [2, 262144]', () => {
    expect(milliCpuToShares(0)).toBe(2);
    expect(milliCpuToShares(1)).toBe(2); // 1.024 -> 1 -> raised to 2
    expect(milliCpuToShares(100)).toBe(102); // 102.4 -> 102
    expect(milliCpuToShares(250)).toBe(256);
    expect(milliCpuToShares(1000)).toBe(1024);
    expect(milliCpuToShares(1_000_000)).toBe(262_144);
  });

  it('quota = milliCPU x 100 ms / 1000 in microseconds, at least 1 ms; no limit gives no quota', () => {
    expect(milliCpuToQuota(0)).toBeNull();
    expect(milliCpuToQuota(500)).toBe(50_000);
    expect(milliCpuToQuota(2000)).toBe(200_000);
    expect(milliCpuToQuota(5)).toBe(1_000); // 500 us raised to the 1 ms floor
  });

  it('shares are monotone in the request', () => {
    fc.assert(
      fc.property(fc.nat(2_000_000), fc.nat(2_000_000), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(milliCpuToShares(lo)).toBeLessThanOrEqual(milliCpuToShares(hi));
      }),
    );
  });
});

describe('QoS and cgroup settings of pods and containers', () => {
  const app = { cpuRequest: 0.5, memoryRequest: 256e6 };
  const sidecar = { cpuRequest: 0.1, cpuLimit: 2, memoryRequest: 128 * 2 ** 20, memoryLimit: 2 ** 30 };

  it('classifies BestEffort, Burstable and Guaranteed as GetPodQOS does', () => {
    expect(qosClass([{}])).toBe('BestEffort');
    expect(qosClass([app, sidecar])).toBe('Burstable');
    expect(qosClass([{ cpuLimit: 1, memoryLimit: 1e9 }])).toBe('Guaranteed'); // requests default to limits
    expect(qosClass([{ cpuRequest: 1, cpuLimit: 1, memoryRequest: 1e9, memoryLimit: 1e9 }, {}])).toBe(
      'Burstable',
    );
  });

  it('a container is weighed by its request, or by its limit when it has none, and capped by its limit', () => {
    expect(containerCfs(sidecar)).toEqual({ shares: 102, quotaUs: 200_000, limitCores: 2 });
    expect(containerCfs({ cpuLimit: 0.5 })).toEqual({ shares: 512, quotaUs: 50_000, limitCores: 0.5 });
    expect(containerCfs({})).toEqual({ shares: 2, quotaUs: null, limitCores: Number.POSITIVE_INFINITY });
  });

  it('a pod sums its requests; it gets a quota only when every container has a CPU limit', () => {
    expect(podCfs([app, sidecar])).toEqual({
      shares: 614,
      quotaUs: null,
      limitCores: Number.POSITIVE_INFINITY,
    });
    const limited = [
      { cpuRequest: 0.25, cpuLimit: 1 },
      { cpuRequest: 0.1, cpuLimit: 0.5 },
    ];
    expect(podCfs(limited)).toEqual({ shares: 358, quotaUs: 150_000, limitCores: 1.5 });
    expect(podCfs([{}, {}])).toEqual({ shares: 2, quotaUs: null, limitCores: Number.POSITIVE_INFINITY });
  });

  it('cgroup v2 weights: the linear and the quadratic conversions', () => {
    expect(sharesToWeight(2, 'linear')).toBe(1);
    expect(sharesToWeight(102, 'linear')).toBe(4);
    expect(sharesToWeight(1024, 'linear')).toBe(39);
    expect(sharesToWeight(262_144, 'linear')).toBe(10_000);
    expect(sharesToWeight(2, 'quadratic')).toBe(1);
    expect(sharesToWeight(1024, 'quadratic')).toBe(100);
    expect(sharesToWeight(102, 'quadratic')).toBe(17);
    expect(sharesToWeight(262_144, 'quadratic')).toBe(10_000);
  });

  it('flat weights: containers split their pod, BestEffort pods split 2 shares among them', () => {
    const w = flatWeights([{ containers: [app, sidecar] }, { containers: [{}] }, { containers: [{}] }]);
    // pod shares 614 = 512 + 102, split 512 : 102
    expect(w[0]![0]).toBeCloseTo(512, 12);
    expect(w[0]![1]).toBeCloseTo(102, 12);
    expect(w[1]).toEqual([1]);
    expect(w[2]).toEqual([1]);
  });
});
