// What holds a proxy down may overlap: a scenario fault, an OOM kill's back-off (oom-kills.ts), a
// DaemonSet's replacement. The proxy runs again only when the last of them ends, a new container
// (proxyReplaced: a new pod, a rebooted node, a DaemonSet's new ztunnel) is held by none of what held the
// old one, and a pod whose proxy is down stays out of load balancing whoever asks to put it back.
import { describe, expect, it } from 'vitest';
import { Replication } from '../../../src/simulate/index.ts';
import { handWorld } from './hand-world.ts';

function conserved(r: Replication): void {
  const rec = r.recorder;
  expect(rec.entryOffered[0]).toBe(rec.entryCompleted[0]! + rec.entryFailed[0]! + r.entryInFlight(0));
}

/** Records whether proxy `px` runs at each of `times`. */
function probe(r: Replication, px: number, times: number[]): number[] {
  const seen: number[] = [];
  for (const t of times) r.host.after(t, () => seen.push(r.proxies.up[px]!));
  return seen;
}

/** OOM-kills proxy `px` at `t` (its open connections above a limit lowered for that instant). */
function oomKillAt(r: Replication, px: number, t: number): void {
  const limits = r.w.proxyOpenLimit;
  r.host.after(t, () => {
    const before = limits[px]!;
    limits[px] = -1;
    r.oomKills.overLimit(px);
    r.host.after(0, () => {
      limits[px] = before;
    });
  });
}

describe('proxy down holds', () => {
  it('a proxy held down by two faults runs again only when the second ends', () => {
    const r = new Replication(handWorld({ duration: 10, warmup: 0 }), 'hand');
    r.host.after(2, () => r.host.setProxyUp(0, false));
    r.host.after(3, () => r.host.setProxyUp(0, false));
    r.host.after(4, () => r.host.setProxyUp(0, true));
    r.host.after(6, () => r.host.setProxyUp(0, true));
    const seen = probe(r, 0, [1.5, 3.5, 4.5, 6.5]);
    r.run();
    conserved(r);
    expect(seen).toEqual([1, 0, 0, 1]);
    // Requests sent at 2.0 ... 5.9 meet the caller-side proxy down (40); the other 59 are answered. Had
    // the first fault's end brought it back, those from 4.0 on would have been answered too.
    expect(r.recorder.entryFailed[0]).toBe(40);
    expect(r.recorder.entryCompleted[0]).toBe(59);
  });

  it('a fault during an OOM kill back-off keeps the proxy down past its restart', () => {
    const r = new Replication(handWorld({ duration: 10, warmup: 0 }), 'hand');
    // Killed at 1: the kubelet restarts it at once, and it runs 2 s later (lifecycle.proxyRestart).
    oomKillAt(r, 0, 1);
    r.host.after(2, () => r.host.setProxyUp(0, false));
    r.host.after(5, () => r.host.setProxyUp(0, true));
    const seen = probe(r, 0, [0.5, 1.5, 3.5, 5.5]);
    r.run();
    conserved(r);
    expect(r.oomKills.kills[0]).toBe(1);
    // Up at 3 by the restart alone; the fault holds it until 5.
    expect(seen).toEqual([1, 0, 0, 1]);
  });

  it('a new container is held by nothing that held the old one, and their ends end nothing of it', () => {
    const r = new Replication(handWorld({ duration: 10, warmup: 0 }), 'hand');
    const h = r.host;
    oomKillAt(r, 0, 1);
    // Its pod's new generation runs at 1.5 (web-0 has sidecar 0): the new sidecar runs at once, not at
    // the old one's restart (3).
    h.after(1.5, () => h.setUp(0, true));
    // A fault on that container at 2, to end at 5; the container is replaced at 2.5.
    let faulted = -1;
    h.after(2, () => {
      faulted = h.proxyContainer(0);
      h.setProxyUp(0, false);
    });
    h.after(2.5, () => h.proxyReplaced(0));
    // A fault on the newest container from 4 to 8: neither the stale restart (3) nor the first fault's
    // end (5) ends it.
    let current = -1;
    h.after(4, () => {
      current = h.proxyContainer(0);
      h.setProxyUp(0, false);
    });
    h.after(5, () => h.setProxyUp(0, true, faulted));
    h.after(8, () => h.setProxyUp(0, true, current));
    const seen = probe(r, 0, [1.2, 1.7, 2.2, 2.7, 3.5, 4.5, 5.5, 8.5]);
    r.run();
    conserved(r);
    expect(seen).toEqual([0, 1, 0, 1, 1, 0, 0, 1]);
  });

  it('a pod whose sidecar is down stays out of load balancing until it runs', () => {
    const r = new Replication(handWorld({ duration: 10, warmup: 0 }), 'hand');
    const ready: number[] = [];
    const look = (t: number) => r.host.after(t, () => ready.push(r.pods.ready[1]!));
    // api-0's sidecar (proxy 1) dies at 2 and runs again at 6; a controller asks for the pod at 3.
    r.host.after(2, () => {
      r.host.setProxyUp(1, false);
      r.host.setReady(1, false);
    });
    r.host.after(3, () => r.host.setReady(1, true));
    r.host.after(6, () => {
      r.host.setProxyUp(1, true);
      r.host.setReady(1, true);
    });
    for (const t of [1, 2.5, 3.5, 6.5]) look(t);
    r.run();
    conserved(r);
    expect(ready).toEqual([1, 0, 0, 1]);
    // Nothing was sent to it meanwhile: with api-1 ready, no request failed.
    expect(r.recorder.entryFailed[0]).toBe(0);
  });
});
