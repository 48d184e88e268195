// Short jobs keep the core they find (node-cpu.ts `fast`, world/cpu-slice.ts): a job shorter than the
// node's time slice that finds a free core runs to its end at full speed and costs no event; one that
// does not (too long, no free core, or its container has a CPU limit) goes to the processor.
import { describe, expect, it } from 'vitest';
import { Calendar } from '../../../sim/index.ts';
import { NodeCpu } from '../../../src/simulate/replication/node-cpu.ts';
import { kernelSlice } from '../../../src/simulate/world/cpu-slice.ts';
import type { World } from '../../../src/simulate/world/index.ts';

/** One node of `cores` cores and a 1 ms slice, three containers: two without limit, one capped at 1 core. */
function node(cores: number) {
  const cal = new Calendar();
  const done: number[] = [];
  const w = {
    nProxies: 0,
    nPods: 3,
    podNode: Int32Array.of(0, 0, 0),
    proxyNode: new Int32Array(0),
    nodeCores: Float64Array.of(cores),
    nodeSlice: Float64Array.of(1e-3),
    containerWeight: Float64Array.of(1024, 1024, 1024),
    containerLimit: Float64Array.of(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, 1),
    quotaPeriod: 0.1,
    nodeQuotaOrigin: Float64Array.of(0),
    scenario: { simulation: { warmup: 0, duration: 10 } },
  } as unknown as World;
  const cpu = new NodeCpu(w, cal, (t) => done.push(t));
  return { cal, cpu, done };
}

describe('the time slice', () => {
  it("is Linux fair.c's 0.7 ms scaled by 1 + log2(min(vCPUs, 8))", () => {
    expect(kernelSlice(1)).toBeCloseTo(0.7e-3, 12);
    expect(kernelSlice(2)).toBeCloseTo(1.4e-3, 12);
    expect(kernelSlice(4)).toBeCloseTo(2.1e-3, 12);
    expect(kernelSlice(16)).toBeCloseTo(2.8e-3, 12);
  });
});

describe('short jobs on a node', () => {
  it('run unshared while a core is free, and not once every core is taken', () => {
    const { cal, cpu } = node(2);
    expect(cpu.fast(0, 0, 0.5e-3)).toBe(true);
    expect(cpu.fast(1, 0, 0.5e-3)).toBe(true);
    expect(cpu.fast(0, 0, 0.5e-3)).toBe(false); // both cores held
    cal.run(0.5e-3); // both end: the cores are free again, with no event
    expect(cpu.fast(0, 0, 0.5e-3)).toBe(true);
  });

  it('longer than the slice, or beside the processor filling the cores, go to the processor', () => {
    const { cal, cpu, done } = node(2);
    expect(cpu.fast(0, 0, 2e-3)).toBe(false);
    cpu.start(0, 0, 2e-3, 7);
    cpu.start(1, 0, 2e-3, 8);
    expect(cpu.fast(0, 0, 0.1e-3)).toBe(false);
    cal.run();
    expect(done).toEqual([7, 8]);
    expect(cal.now).toBeCloseTo(2e-3, 12);
  });

  it('a container with a CPU limit (a CFS quota) always goes to the processor, which counts its quota', () => {
    const { cpu } = node(4);
    expect(cpu.fast(2, 0, 0.5e-3)).toBe(false);
    expect(cpu.fast(0, 0, 0.5e-3)).toBe(true);
  });

  it('a processor job started beside short jobs gets the cores they leave until they end', () => {
    // 1 core held by a 1 ms short job; two 1 ms processor jobs share what is left. With 2 cores: the
    // short job keeps one core to t = 1 ms; the two others share 1 core (0.5 each) until then (0.5 ms of
    // work done each), then get a core each: done at 1.5 ms.
    const { cal, cpu, done } = node(2);
    expect(cpu.fast(0, 0, 1e-3)).toBe(true);
    cpu.start(1, 0, 1e-3, 1);
    cpu.start(1, 0, 1e-3, 2);
    cal.run();
    expect(done).toEqual([1, 2]);
    expect(cal.now).toBeCloseTo(1.5e-3, 12);
    const u = cpu.usageByContainer(cal.now);
    expect(u.served[0]).toBeCloseTo(1e-3, 12);
    expect(u.served[1]).toBeCloseTo(2e-3, 12);
  });
});
