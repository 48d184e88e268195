// The HPA arithmetic against hand calculations from Kubernetes' formulas (kubernetes/kubernetes v1.31.0
// pkg/controller/podautoscaler): desired = ceil(ready x usage / target) outside a 10 % tolerance,
// stabilisation over past recommendations, and the scaling policies' limits.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  HpaState,
  metricReplicas,
  type PodMetric,
  scaleDownLimit,
  scaleUpLimit,
} from '../../src/events/hpa.ts';
import { defaultAutoscaling } from '../../src/scenario/autoscaling.ts';

const pod = (cores: number, request = 0.25, unready = false): PodMetric => ({ cores, request, unready });

describe('metricReplicas (replica_calculator.go)', () => {
  it('one pod at 160 % of a 50 % target asks for ceil(3.2) = 4', () => {
    expect(metricReplicas(1, [pod(0.4)], 50, 0.1)).toBe(4);
  });

  it('within the 10 % tolerance nothing changes; just outside it, it does', () => {
    // 2 pods, 0.26 cores over 0.5 requested = 52 % for a 50 % target: ratio 1.04
    expect(metricReplicas(2, [pod(0.13), pod(0.13)], 50, 0.1)).toBe(2);
    // ratio 1.12: ceil(2.24) = 3
    expect(metricReplicas(2, [pod(0.14), pod(0.14)], 50, 0.1)).toBe(3);
    // ratio 0.88 (below 0.9): ceil(1.76) = 2 (nothing to do), ratio 0.4: ceil(0.8) = 1
    expect(metricReplicas(2, [pod(0.11), pod(0.11)], 50, 0.1)).toBe(2);
    expect(metricReplicas(2, [pod(0.05), pod(0.05)], 50, 0.1)).toBe(1);
  });

  it('a scale-up counts unready pods at 0 use and is dropped if that brings the ratio below 1', () => {
    // ready pod at 0.2/0.25 = 80 %, ratio 1.6; with 3 unready pods at 0: 0.2/1.0 = 20 %, ratio 0.4 -> keep 4
    expect(
      metricReplicas(4, [pod(0.2), pod(0, 0.25, true), pod(0, 0.25, true), pod(0, 0.25, true)], 50, 0.1),
    ).toBe(4);
    // ready pod at 0.5 (ratio 4); with 1 unready: 0.5 / 0.5 = 100 %, ratio 2 -> ceil(2 x 2) = 4
    expect(metricReplicas(2, [pod(0.5), pod(0, 0.25, true)], 50, 0.1)).toBe(4);
  });

  it('no pod with a metric: no change', () => {
    expect(metricReplicas(3, [pod(0, 0.25, true)], 50, 0.1)).toBe(3);
  });

  it('property: outside the tolerance, the fewest pods that bring usage to the target or below', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 4000 }), (n, milli) => {
        const cores = milli / 1000;
        const pods = Array.from({ length: n }, () => pod(cores));
        const ratio = cores / 0.25 / 0.5;
        const got = metricReplicas(n, pods, 50, 0.1);
        if (Math.abs(1 - ratio) < 0.1 - 1e-9) expect(got).toBe(n);
        else if (Math.abs(1 - ratio) > 0.1 + 1e-9) {
          // got pods at the target carry at least the load; one fewer would not
          expect(got * 0.125).toBeGreaterThanOrEqual(n * cores - 1e-9);
          expect((got - 1) * 0.125).toBeLessThan(n * cores + 1e-9);
        }
      }),
    );
  });
});

describe('scaling policies (horizontal.go)', () => {
  const a = defaultAutoscaling(1, 100, 50);
  it('scale-up default: the larger of 100 % and 4 pods per 15 s', () => {
    expect(scaleUpLimit(1, [], a.scaleUp, 0)).toBe(5);
    expect(scaleUpLimit(10, [], a.scaleUp, 0)).toBe(20);
    // 6 added 10 s ago: the period started at 4 pods -> max(8, 8) = 8
    expect(scaleUpLimit(10, [{ at: -10, replicas: 6 }], a.scaleUp, 0)).toBe(8);
    // 16 s ago is outside the 15 s period
    expect(scaleUpLimit(10, [{ at: -16, replicas: 6 }], a.scaleUp, 0)).toBe(20);
  });

  it('scale-down default: 100 % per 15 s', () => {
    expect(scaleDownLimit(10, [], a.scaleDown, 0)).toBe(0);
  });

  it('Pods and Percent policies with selectPolicy Min, and Disabled', () => {
    const rules = {
      stabilizationWindow: 0,
      selectPolicy: 'Min' as const,
      policies: [
        { type: 'Pods' as const, value: 1, period: 60 },
        { type: 'Percent' as const, value: 50, period: 60 },
      ],
    };
    expect(scaleUpLimit(10, [], rules, 0)).toBe(11);
    expect(scaleDownLimit(10, [], rules, 0)).toBe(9);
    expect(scaleUpLimit(10, [], { ...rules, selectPolicy: 'Disabled' }, 0)).toBe(10);
  });
});

describe('HpaState: stabilisation windows', () => {
  it('scale-down waits 300 s by default: the highest recommendation of the window wins', () => {
    const hpa = new HpaState(defaultAutoscaling(1, 10, 50), 4, 0);
    for (let t = 15; t < 300; t += 15) expect(hpa.sync(4, 1, t)).toBe(4);
    expect(hpa.sync(4, 1, 300)).toBe(1);
  });

  it('scale-up is immediate by default, and clamped to maxReplicas', () => {
    const hpa = new HpaState(defaultAutoscaling(1, 3, 50), 1, 0);
    expect(hpa.sync(1, 9, 15)).toBe(3);
  });

  it('a scale-up window keeps the lowest recommendation until it passes', () => {
    const a = defaultAutoscaling(1, 10, 50);
    a.scaleUp.stabilizationWindow = 60;
    const hpa = new HpaState(a, 1, 0);
    expect(hpa.sync(1, 4, 15)).toBe(1);
    expect(hpa.sync(1, 4, 30)).toBe(1);
    expect(hpa.sync(1, 4, 45)).toBe(1);
    expect(hpa.sync(1, 4, 60)).toBe(4);
  });

  it('a rate limit spreads a big step over periods: 1 -> 5 -> 10 -> 20 -> 30 by default', () => {
    const hpa = new HpaState(defaultAutoscaling(1, 30, 50), 1, 0);
    let n = 1;
    const seen: number[] = [];
    for (let t = 15; t <= 60; t += 15) {
      n = hpa.sync(n, 40, t);
      seen.push(n);
    }
    expect(seen).toEqual([5, 10, 20, 30]);
  });
});
