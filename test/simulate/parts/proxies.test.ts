// Proxies: a FIFO line over workers, CPU and requests counted in the measured window, the
// open-connection time integral. Hand calculations on a hand-built world.
import { describe, expect, it } from 'vitest';
import { Calendar, RandomStreams } from '../../../sim/index.ts';
import { Proxies } from '../../../src/simulate/replication/proxies.ts';
import { handWorld } from './hand-world.ts';

const build = (o = {}, granted: number[] = [], cal = new Calendar()) =>
  new Proxies(handWorld(o), cal, new RandomStreams('p'), (id) => granted.push(id));

describe('Proxies.arrive', () => {
  it('queues FIFO over its workers: a call waits until a worker is released, oldest first', () => {
    const granted: number[] = [];
    const px = build({ workers: 2, warmup: 0, duration: 100 }, granted);
    // Three calls at proxy 0 (2 workers): the first two get a worker at once, the third waits.
    expect(px.arrive(10, 0, 1, 0.5, 0.1)).toBe(true);
    expect(px.arrive(11, 0, 1, 0.5, 0.1)).toBe(true);
    expect(px.arrive(12, 0, 1, 0.5, 0.1)).toBe(false);
    expect(px.arrive(13, 0, 1, 0.5, 0.1)).toBe(false);
    px.queues.release(0);
    expect(granted).toEqual([12]);
    // The hop's parts are kept per call for the request path.
    expect([px.hopProxy[12], px.hopOn[12], px.hopOff[12], px.hopNonCpu[12]]).toEqual([0, 1, 0.5, 0.1]);
    expect(px.requestsOf(0)).toBe(3);
    expect(px.cpuOf(0)).toBe(6);
    // Other proxies are untouched.
    expect(px.requestsOf(1)).toBe(0);
  });

  it('counts only calls reaching it inside the measured window', () => {
    const cal = new Calendar();
    const px = build({ workers: 1, warmup: 1, duration: 3 }, [], cal);
    px.arrive(0, 0, 2, 0, 0); // at t = 0, before the warm-up
    expect(px.cpuOf(0)).toBe(0);
    cal.scheduleAt(
      2,
      cal.on(() => px.arrive(1, 0, 2, 0, 0)),
      0,
    );
    cal.run();
    expect(px.cpuOf(0)).toBe(2);
    expect(px.requestsOf(0)).toBe(0); // still waiting for the worker
    expect(px.hopProxy.length).toBeGreaterThan(1);
  });

  it('grows its per-call tables for call ids past their size', () => {
    const px = build({ workers: 1 });
    px.arrive(5000, 1, 0.001, 0, 0);
    expect(px.hopOn[5000]).toBe(0.001);
  });
});

describe('Proxies open connections', () => {
  it('integrates connections over time from the start of the measured window', () => {
    const px = build();
    px.changeOpen(1, 2, 0);
    px.startMeasuring(1);
    px.changeOpen(1, -1, 3); // 2 open from 1 to 3: 4 connection-seconds
    px.stopMeasuring(5); // 1 open from 3 to 5: 2 more
    expect(px.open[1]).toBe(1);
    expect(px.openArea[1]).toBe(6);
  });
});
