import { describe, expect, it } from 'vitest';
import { priorityOf, SYSTEM_NODE_CRITICAL, selectVictims } from '../../src/cluster/index.ts';

const pod = (id: number, priority: number, cpu: number, memory = 0) => ({ pod: id, priority, cpu, memory });
const need = { cpu: 0.2, memory: 0, pods: 1 };

describe('preemption', () => {
  it('ztunnel and istio-cni are system-node-critical; application pods have priority 0', () => {
    expect(priorityOf({ kind: 'ztunnel' })).toBe(SYSTEM_NODE_CRITICAL);
    expect(priorityOf({ kind: 'istio-cni' })).toBe(SYSTEM_NODE_CRITICAL);
    expect(priorityOf({ kind: 'app' })).toBe(0);
  });

  it('evicts as few lower-priority pods as needed: all removed, then reprieved in order while it fits', () => {
    // 0.05 free; three 0.1-core pods: removing all gives 0.35; reprieving pod 1 leaves 0.25, pod 2 0.15 < 0.2.
    const victims = selectVictims(
      [pod(1, 0, 0.1), pod(2, 0, 0.1), pod(3, 0, 0.1)],
      SYSTEM_NODE_CRITICAL,
      need,
      { cpu: 0.05, memory: 0, pods: 10 },
    );
    expect(victims).toEqual([2, 3]);
  });

  it('never evicts a pod of equal or higher priority, and gives up when even all lower ones are not enough', () => {
    expect(
      selectVictims([pod(1, SYSTEM_NODE_CRITICAL, 1)], SYSTEM_NODE_CRITICAL, need, {
        cpu: 0,
        memory: 0,
        pods: 10,
      }),
    ).toBeNull();
    expect(
      selectVictims([pod(1, 0, 0.1)], SYSTEM_NODE_CRITICAL, need, { cpu: 0, memory: 0, pods: 10 }),
    ).toBeNull();
  });

  it('nothing to evict when the pod already fits', () => {
    expect(selectVictims([pod(1, 0, 1)], 1, need, { cpu: 1, memory: 0, pods: 1 })).toEqual([]);
  });
});
