// Pods: readiness keeps endpoint lists in pod order, dead and down generations refuse connections, room
// is reserved where it fits.
import { describe, expect, it } from 'vitest';
import { NodeRooms } from '../../../src/simulate/replication/node-room.ts';
import { Pods } from '../../../src/simulate/replication/pods.ts';
import { handWorld } from './hand-world.ts';

describe('Pods readiness', () => {
  it('starts with every placed pod ready, and keeps endpoints in pod order through restarts', () => {
    const pods = new Pods(handWorld());
    expect(pods.serviceEndpoints[0]).toEqual([1, 2]);
    expect(pods.waypointEndpoints[0]).toEqual([4]);
    expect(pods.setReady(1, false)).toBe('shop/api');
    expect(pods.serviceEndpoints[0]).toEqual([2]);
    expect(pods.readyCount('shop/api')).toBe(1);
    expect(pods.setReady(1, false)).toBeNull();
    expect(pods.setReady(1, true)).toBe('shop/api');
    // Back before pod 2, not appended after it.
    expect(pods.serviceEndpoints[0]).toEqual([1, 2]);
    expect(pods.readyApplications()).toBe(2);
  });

  it('refuses connections to a dead generation, and to the newest while it is down', () => {
    const pods = new Pods(handWorld());
    expect(pods.refuses(1, 0)).toBe(false);
    pods.gen[1] = 1;
    // Generation 0 still drains: it is alive until killed.
    expect(pods.refuses(1, 0)).toBe(false);
    pods.markDead(1, 0);
    expect(pods.refuses(1, 0)).toBe(true);
    expect(pods.refuses(1, 1)).toBe(false);
    pods.up[1] = 0;
    expect(pods.refuses(1, 1)).toBe(true);
  });

  it('moves a pod with its proxies: the node every hop reads for a proxy follows its pod', () => {
    const w = handWorld();
    const pods = new Pods(w);
    // Proxies 0-2 are the sidecars of pods 0-2, 3 the ztunnel (pod 3), 4 the waypoint (pod 4).
    expect(Array.from(pods.proxyNode)).toEqual([0, 1, 2, 0, 1]);
    pods.move(1, 2);
    pods.move(4, 0);
    expect(Array.from(pods.proxyNode)).toEqual([0, 2, 2, 0, 0]);
    expect(Array.from(pods.node.subarray(0, 5))).toEqual([0, 2, 2, 0, 0]);
    for (let p = 0; p < w.nProxies; p++) expect(pods.proxyNode[p]).toBe(pods.node[w.proxyPod[p]!]);
  });
});

describe('NodeRooms', () => {
  it('reserves on the preferred node when it fits, else on the node with most free CPU', () => {
    const room = new NodeRooms(handWorld({ room: { cpu: 2, memory: 4e9, pods: 10 } }).placement);
    expect(room.reserve(1.5, 1e9, 1)).toBe(1);
    expect(room.cpu[1]).toBeCloseTo(0.5, 12);
    // Node 1 is now too small: the most free CPU among nodes 0 and 2 (a tie: the first) takes it.
    expect(room.reserve(1.5, 1e9, 1)).toBe(0);
    expect(room.reserve(1.5, 1e9, 1, { exclude: 2 })).toBe(-1);
    expect(room.reserve(2, 1e9, -1)).toBe(2);
    room.unreserve(2, 2, 1e9);
    expect(room.cpu[2]).toBe(2);
    expect(room.pods[2]).toBe(10);
  });

  it("keeps kube-scheduler's scoring defaults per node with the room: added on reserve, taken off on unreserve", () => {
    const room = new NodeRooms(handWorld({ room: { cpu: 2, memory: 4e9, pods: 10 } }).placement);
    const before = room.scoringExtra(1);
    const d = { cpu: 0.1, memory: 200 * 1024 * 1024 };
    expect(room.reserve(0, 0, 1, {}, d)).toBe(1);
    expect(room.scoringExtra(1)).toEqual({ cpu: before.cpu + 0.1, memory: before.memory + d.memory });
    // A reservation that found no node changes nothing.
    expect(room.reserve(5, 0, 1, {}, d)).toBe(-1);
    room.unreserve(1, 0, 0, d);
    expect(room.scoringExtra(1).cpu).toBeCloseTo(before.cpu, 12);
    expect(room.scoringExtra(1).memory).toBeCloseTo(before.memory, 3);
  });

  it('an exact fit is not refused for float rounding', () => {
    const room = new NodeRooms(handWorld({ room: { cpu: 0.3, memory: 4e9, pods: 10 } }).placement);
    expect(room.reserve(0.1 + 0.2, 1e9, 0)).toBe(0);
  });
});
