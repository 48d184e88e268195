// HBONE pools keyed as ztunnel keys them (issue 12 item 4): one pool per (source pod, destination pod),
// istio/ztunnel src/proxy/pool.rs WorkloadKey. One ambient client pod calling three ambient api pods on
// the same node opens three pools from its ztunnel (each with its own mTLS handshake), not one per node
// pair.
import { describe, expect, it } from 'vitest';
import { ZTUNNEL } from '../../../src/mesh/index.ts';
import { handScenario, runEngine } from '../../helpers/scenario-text.ts';

describe('HBONE pools per workload pair', () => {
  it('a pool with its own connection per (client pod, api pod)', () => {
    const s = handScenario({
      label: 'ambient',
      clientMode: 'ambient',
      replicas: 3,
      rate: '50/s',
      connection: 'per-request',
      compare: ['ambient'],
    });
    const { engine, world: w } = runEngine(s, 'ambient');
    const pools = engine.pools;
    const fromZtunnel: number[] = [];
    for (let i = 0; i < pools.size; i++)
      if (w.proxyClass[pools.originatorOf(i)] === ZTUNNEL) fromZtunnel.push(i);
    // One node: a single ztunnel originates and terminates every pool.
    expect(new Set(fromZtunnel.map((i) => pools.terminatorOf(i))).size).toBe(1);
    const apiPods = [...w.services[0]!.pods].sort();
    expect(fromZtunnel.map((i) => pools.peerOf(i)).sort()).toEqual(apiPods);
    // Every pool opened its own connection (each request's connection picks an api pod at random).
    for (const i of fromZtunnel) expect(pools.openOf(i)).toBeGreaterThanOrEqual(1);
  });
});
