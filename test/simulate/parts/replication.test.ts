// A whole replication on the hand-built world: the request path and the disruption host over the parts,
// checked by conservation (every request offered is answered, failed or still in flight), by drained
// state (no call, stream or pooled request left over) and by what each disruption primitive must do.
import { describe, expect, it } from 'vitest';
import { Replication } from '../../../src/simulate/index.ts';
import { handWorld } from './hand-world.ts';

function conserved(r: Replication): void {
  const rec = r.recorder;
  expect(rec.entryOffered[0]).toBe(rec.entryCompleted[0]! + rec.entryFailed[0]! + r.entryInFlight(0));
}

describe('Replication on a hand-built world', () => {
  it('answers every request of a quiet run, and leaves nothing in flight once drained', () => {
    const r = new Replication(handWorld({ duration: 10, warmup: 1 }), 'hand');
    r.run();
    conserved(r);
    // 10 requests per second from t = 0.1 up to t = 9.9; those from 1 s on are measured.
    expect(r.recorder.arrivalBins.reduce((a, b) => a + b, 0)).toBe(99);
    expect(r.recorder.entryOffered[0]).toBe(90);
    expect(r.recorder.entryFailed[0]).toBe(0);
    r.cal.run();
    expect(r.calls.live).toBe(0);
    expect(r.balancing.active.every((n) => n === 0)).toBe(true);
    expect(Array.from({ length: r.w.nSlots }, (_, s) => r.connections.busyOf(s)).every((n) => n === 0)).toBe(
      true,
    );
    expect(Array.from({ length: r.pools.size }, (_, i) => r.pools.activeOf(i)).every((n) => n === 0)).toBe(
      true,
    );
    // Latency is at least the service time and every hop's critical path.
    expect(r.recorder.entryHist[0]!.min).toBeGreaterThan(0.002);
  });

  it('a crashed caller-side proxy fails every request after it (nobody is left to retry)', () => {
    const r = new Replication(handWorld({ duration: 10, warmup: 0 }), 'hand');
    r.host.after(5, () => r.host.setProxyUp(0, false));
    r.run();
    conserved(r);
    const rec = r.recorder;
    // Requests at 0.1 ... 4.9 are answered (49); from 5.0 on they fail.
    expect(rec.entryCompleted[0]).toBe(49);
    expect(rec.entryFailed[0]).toBe(50);
    expect(rec.requestsFailed).toBe(50);
  });

  it('an endpoint out of load balancing gets no new requests; killing it fails what it still had', () => {
    const r = new Replication(handWorld({ duration: 10, warmup: 0 }), 'hand');
    const served = () => Array.from(r.recorder.edgeHist, (h) => h.count)[0]!;
    r.host.after(3, () => {
      r.host.setReady(1, false);
      r.host.setReady(2, false);
    });
    let before = 0;
    r.host.after(3.05, () => {
      before = served();
    });
    r.run();
    conserved(r);
    // With no ready endpoint the caller's proxy answers 503 itself (no healthy upstream): a local reply,
    // which Envoy's router never retries (router.cc sendNoHealthyUpstreamResponse).
    expect(served()).toBe(before);
    expect(r.recorder.entryFailed[0]).toBeGreaterThan(50);
    expect(r.recorder.requestsRetried).toBe(0);
    expect(r.host.readyCount('shop/api')).toBe(0);
  });

  it('retire drains connections to the old generation and kills it after the grace period', () => {
    const r = new Replication(handWorld({ duration: 10, warmup: 0 }), 'hand');
    let gone = false;
    r.host.after(2, () => {
      expect(r.host.retire(1, 0.5, 1, () => (gone = true))).toBe(0);
      r.host.retire(2, 0.5, 1);
    });
    r.run();
    conserved(r);
    expect(gone).toBe(true);
    expect(Array.from(r.pods.gen.subarray(1, 3))).toEqual([1, 1]);
    expect(Array.from(r.pods.aliveFrom.subarray(1, 3))).toEqual([1, 1]);
    // HTTP connections are drained, not reset; the client reconnects to the new generation.
    expect(r.recorder.connectionsReset).toBe(0);
    expect(r.recorder.connectionsDrained).toBeGreaterThan(0);
    expect(r.recorder.entryFailed[0]).toBe(0);
  });

  it('room freed on a node is announced; counters read off the recorder', () => {
    const r = new Replication(handWorld(), 'hand');
    let announced = 0;
    r.host.room.listeners.push(() => announced++);
    const node = r.host.room.reserve(1, 1e9, 2);
    expect(node).toBe(2);
    r.host.room.unreserve(node, 1, 1e9);
    expect(announced).toBe(1);
    r.host.podsRestarted += 2;
    expect(r.host.counters().podsRestarted).toBe(2);
    expect(r.recorder.podsRestarted).toBe(2);
  });
});
