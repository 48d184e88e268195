// Hops: a hop step resolves to the proxy attached to the caller, the callee, their nodes or the waypoint;
// delays follow locality.
import { describe, expect, it } from 'vitest';
import { Attach, type HopStep, Upstream } from '../../../src/mesh/index.ts';
import { Hops } from '../../../src/simulate/replication/hops.ts';
import { handWorld } from './hand-world.ts';

const step = (attach: HopStep['attach']): HopStep => ({
  attach,
  proxyClass: 0,
  linkBefore: true,
  tlsIn: false,
  plaintextIn: false,
  envoyTlsIn: false,
  blackHole: false,
  upstream: Upstream.PerEndpointPool,
  streamsPerConnection: 1,
  multiplexed: false,
});

describe('Hops', () => {
  const w = handWorld();
  const podNode = Int32Array.from(w.podNode);
  const hops = new Hops(w, podNode);

  it('resolves each attachment to its proxy and node', () => {
    // Call from web-0 (pod 0, node 0) to api-1 (pod 2, node 2) through wp-0 (pod 4, node 1).
    expect(hops.resolve(step(Attach.SrcPod), 0, 2, 4)).toBe(0);
    expect(hops.resolve(step(Attach.SrcNode), 0, 2, 4)).toBe(3);
    expect(hops.resolve(step(Attach.Pool), 0, 2, 4)).toBe(4);
    expect(hops.resolve(step(Attach.DstPod), 0, 2, 4)).toBe(2);
    expect(hops.stepNode(step(Attach.SrcNode), 0, 2, 4)).toBe(0);
    expect(hops.stepNode(step(Attach.Pool), 0, 2, 4)).toBe(1);
    expect(hops.stepNode(step(Attach.DstNode), 0, 2, 4)).toBe(2);
  });

  it('follows a pod that moved (the node array is shared, not copied)', () => {
    podNode[0] = 1;
    expect(hops.stepNode(step(Attach.SrcPod), 0, 2, 4)).toBe(1);
    podNode[0] = 0;
  });

  it('the application terminates the segment past the last step', () => {
    const tpl = 0;
    const n = w.templates[tpl]!.steps.length;
    expect(hops.terminator(tpl, n, 0, 2, -1)).toBe(w.nProxies + 2);
  });

  it('delays by locality: same node, same zone, across zones', () => {
    expect(hops.delay(1, 1)).toBe(0.00002);
    expect(hops.delay(0, 1)).toBe(0.0001);
    expect(hops.delay(0, 2)).toBe(0.0005);
    expect(hops.crossesZones(0, 1)).toBe(false);
    expect(hops.crossesZones(1, 2)).toBe(true);
  });
});
