// Worker threads as Istio (pilot-agent) and ztunnel derive them.
import { describe, expect, it } from 'vitest';
import {
  configuredConcurrency,
  downwardCpuLimit,
  envoyWorkers,
  ztunnelWorkers,
} from '../../src/mesh/workers.ts';

const node = { nodeAllocatableCores: 15.89, nodeLogicalCores: 16 };

describe('Envoy workers (sidecar, gateway, waypoint)', () => {
  it('follow the CPU limit rounded up: the default 2-CPU limit gives 2, 500m gives 1, 6500m gives 7', () => {
    expect(envoyWorkers({ ...node, cpuLimitCores: 2 })).toBe(2);
    expect(envoyWorkers({ ...node, cpuLimitCores: 0.5 })).toBe(1);
    expect(envoyWorkers({ ...node, cpuLimitCores: 6.5 })).toBe(7);
  });

  it('without a limit the downward API reports the node allocatable cores, rounded up', () => {
    expect(downwardCpuLimit(undefined, 15.89)).toBe(16);
    expect(envoyWorkers({ ...node })).toBe(16);
  });

  it('ProxyConfig concurrency wins: annotation over ProxyConfig resource over mesh default', () => {
    expect(configuredConcurrency({ meshDefault: 4 })).toBe(4);
    expect(configuredConcurrency({ meshDefault: 4, proxyConfigResource: 3 })).toBe(3);
    expect(configuredConcurrency({ meshDefault: 4, proxyConfigResource: 3, annotation: 1 })).toBe(1);
    expect(envoyWorkers({ ...node, cpuLimitCores: 2, concurrency: { annotation: 1 } })).toBe(1);
    expect(envoyWorkers({ ...node, cpuLimitCores: 0.5, concurrency: { meshDefault: 4 } })).toBe(4);
  });

  it('concurrency 0 means one worker per hardware thread of the node, whatever the limit', () => {
    expect(envoyWorkers({ ...node, cpuLimitCores: 2, concurrency: { meshDefault: 0 } })).toBe(16);
  });
});

describe('ztunnel workers', () => {
  const base = { nodeAllocatableCores: 32, cpuRequestCores: 0.2 };
  it('up to 1.30: 2, or concurrency, or ZTUNNEL_WORKER_THREADS', () => {
    expect(ztunnelWorkers({ ...base, version: 30 })).toBe(2);
    expect(ztunnelWorkers({ ...base, version: 30, concurrency: 4 })).toBe(4);
    expect(ztunnelWorkers({ ...base, version: 30, workerThreads: 6 })).toBe(6);
    expect(ztunnelWorkers({ ...base, version: 30, workerThreads: '10%' })).toBe(4); // ceil(3.2)
  });

  it('from 1.31: a quarter of the cores (at least 2 and the request), or the limit when one is set', () => {
    expect(ztunnelWorkers({ ...base, version: 31 })).toBe(8);
    expect(ztunnelWorkers({ nodeAllocatableCores: 4, cpuRequestCores: 0.2, version: 31 })).toBe(2);
    expect(ztunnelWorkers({ nodeAllocatableCores: 8, cpuRequestCores: 3, version: 31 })).toBe(3);
    expect(ztunnelWorkers({ ...base, cpuLimitCores: 1, version: 31 })).toBe(1); // a limit wins even below 2
    expect(ztunnelWorkers({ ...base, cpuLimitCores: 1.5, version: 31 })).toBe(2);
    expect(ztunnelWorkers({ ...base, concurrency: 0, version: 31 })).toBe(32);
    expect(ztunnelWorkers({ ...base, concurrency: 3, version: 31 })).toBe(3);
    expect(ztunnelWorkers({ ...base, version: 31, workerThreads: '50%', cpuLimitCores: 3 })).toBe(2);
  });
});
