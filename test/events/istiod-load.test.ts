// istiod's CPU under churn (istiod-load.ts), by hand: steady changes x proxies x CPU per push, plus one
// push to every proxy per debounced burst of endpoint events.
import { describe, expect, it } from 'vitest';
import { IstiodLoad } from '../../src/events/istiod-load.ts';
import { DEFAULT_MESH } from '../../src/scenario/defaults.ts';

/** A clock with a calendar: what IstiodLoad reads of the disruption host. */
class Clock {
  now = 0;
  readinessListeners: Array<(owner: string) => void> = [];
  private queue: Array<{ at: number; fn: () => void }> = [];
  after(delay: number, fn: () => void): void {
    this.queue.push({ at: this.now + delay, fn });
    this.queue.sort((a, b) => a.at - b.at);
  }
  /** Runs what is due up to `t`, with endpoint events at the given instants. */
  runTo(t: number, events: number[] = []): void {
    const pending = [...events];
    for (;;) {
      const next = this.queue[0];
      const ev = pending[0];
      if (ev !== undefined && ev <= t && (next === undefined || ev <= next.at)) {
        this.now = ev;
        pending.shift();
        for (const f of this.readinessListeners) f('default/web');
        continue;
      }
      if (next === undefined || next.at > t) break;
      this.queue.shift();
      this.now = next.at;
      next.fn();
    }
    this.now = t;
  }
}

const istiod = { ...DEFAULT_MESH.istiod, configChangesPerSecond: 1, cpuPerPush: 0.5e-3 };

describe("istiod's push load", () => {
  it('steady churn: 1 change/s x 10 proxies x 0.5 ms = 5 ms of CPU per second', () => {
    const c = new Clock();
    const load = new IstiodLoad(c, istiod, () => 10);
    c.runTo(20);
    expect(load.cpuSeconds()).toBeCloseTo(20 * 10 * 0.5e-3, 12);
    expect(load.pushes).toBe(0);
  });

  it('a step: three pods ready within 120 ms are one push to every proxy, 100 ms after the last', () => {
    const c = new Clock();
    const load = new IstiodLoad(c, istiod, () => 10);
    // Checks at 5.1 (quiet 50 ms), 5.15 (quiet 30 ms), then 5.22: quiet 100 ms, push.
    c.runTo(5.219, [5, 5.05, 5.12]);
    expect(load.pushes).toBe(0);
    c.runTo(5.221);
    expect(load.pushes).toBe(1);
    c.runTo(20);
    // 0.1 cores-seconds of steady churn, plus one push of 10 x 0.5 ms.
    expect(load.cpuSeconds()).toBeCloseTo(0.1 + 10 * 0.5e-3, 12);
  });

  it('the step follows the proxies connected: 1,000 sidecars make the same burst 100 times dearer', () => {
    const c = new Clock();
    const load = new IstiodLoad(c, { ...istiod, configChangesPerSecond: 0 }, () => 1000);
    c.runTo(1, [0.5]);
    expect(load.cpuSeconds()).toBeCloseTo(1000 * 0.5e-3, 12);
  });

  it('endless churn still pushes every PILOT_DEBOUNCE_MAX (10 s): events every 70 ms for 25 s are 3 pushes', () => {
    const c = new Clock();
    const load = new IstiodLoad(c, { ...istiod, configChangesPerSecond: 0 }, () => 1);
    const events = Array.from({ length: Math.floor(25 / 0.07) + 1 }, (_, k) => k * 0.07);
    c.runTo(30, events);
    // Forced at about 10 s and 20 s, the rest 100 ms after the last event.
    expect(load.pushes).toBe(3);
    expect(load.cpuSeconds()).toBeCloseTo(3 * 0.5e-3, 12);
  });
});
