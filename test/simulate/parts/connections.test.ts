// Connections: which slot of a caller's pool a request takes, opening and closing, the caller of a slot.
import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../../sim/index.ts';
import { ProtocolClass } from '../../../src/mesh/index.ts';
import { Connections } from '../../../src/simulate/replication/connections.ts';
import { ConnType } from '../../../src/simulate/world/index.ts';
import { handWorld } from './hand-world.ts';

const build = (o = {}) => {
  const w = handWorld(o);
  return { w, edge: w.edges[0]!, c: new Connections(w, new RandomStreams('c')) };
};

describe('Connections.pick', () => {
  it('HTTP/1.1 keep-alive: an idle open connection, else a new one while the pool has room, else the least busy', () => {
    const { edge, c } = build({ poolSize: 2 });
    expect(c.pick(edge, 0)).toBe(0); // nothing open: the first closed slot
    c.openSlot(edge, 0, 0);
    expect(c.pick(edge, 0)).toBe(0); // open and idle
    c.addBusy(0, 1);
    expect(c.pick(edge, 0)).toBe(1); // busy: open another
    c.openSlot(edge, 1, 0);
    c.addBusy(1, 3);
    expect(c.pick(edge, 0)).toBe(0); // both busy: the least busy
    expect(c.count).toBe(2);
  });

  it('long-lived pools are used in turn; HTTP/2 multiplexes over the first', () => {
    const ll = build({ poolSize: 3, connType: ConnType.LongLived });
    expect([0, 1, 2, 3].map(() => ll.c.pick(ll.edge, 0))).toEqual([0, 1, 2, 0]);
    const h2 = build({ poolSize: 3, proto: ProtocolClass.Multiplexed });
    h2.c.openSlot(h2.edge, 0, 0);
    h2.c.addBusy(0, 5);
    expect(h2.c.pick(h2.edge, 0)).toBe(0);
  });

  it('a per-request connection only lends the slot: it is counted open but the slot stays closed', () => {
    const { edge, c } = build({ poolSize: 1, connType: ConnType.PerRequest });
    c.openSlot(edge, 0, 0);
    expect(c.openOf(0)).toBe(0);
    expect(c.count).toBe(1);
  });
});

describe('Connections bookkeeping', () => {
  it('binds, closes, finds the caller of a slot and visits open slots', () => {
    const { edge, c } = build({ poolSize: 2 });
    c.openSlot(edge, 1, 0);
    c.bind(1, 2, 0, 4, 0, 7);
    expect([c.dstOf(1), c.waypointOf(1), c.templateOf(1)]).toEqual([2, 4, 7]);
    expect(c.caller(1, edge)).toBe(0);
    const seen: number[] = [];
    c.forOpen(
      () => true,
      (slot) => seen.push(slot),
    );
    expect(seen).toEqual([1]);
    c.closeSlot(1);
    expect(c.count).toBe(0);
    expect(c.expiryOf(1)).toBe(Number.POSITIVE_INFINITY);
    expect(c.backoff()).toBe(0.05);
  });
});
