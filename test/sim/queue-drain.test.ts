// The grant path is a trampoline: callbacks that release again must not nest stack frames (issue 18).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Calendar, ServerQueue } from '../../sim/index.ts';

describe('ServerQueue grant trampoline', () => {
  it('drains 200,000 waiters whose grant callback releases at once, in FIFO order, without overflow', () => {
    const cal = new Calendar();
    const n = 200_000;
    const granted: number[] = [];
    const q = new ServerQueue(cal, 1, (token) => {
      granted.push(token);
      q.release(); // a failing attempt hands its server straight back
    });
    expect(q.acquire(-1)).toBe(0);
    for (let i = 0; i < n; i++) expect(q.acquire(i)).toBe(1);
    const release = cal.on(() => q.release());
    cal.schedule(1, release, 0);
    cal.run();
    expect(granted.length).toBe(n);
    let inOrder = true;
    for (let i = 0; i < n; i++) if (granted[i] !== i) inOrder = false;
    expect(inOrder).toBe(true);
    expect(q.busy).toBe(0);
    expect(q.waiting).toBe(0);
    const s = q.stats(cal.now);
    expect(s.granted).toBe(n + 1);
    expect(s.waits.max).toBe(1);
  });

  it('setServers with a releasing callback also drains in constant stack', () => {
    const cal = new Calendar();
    const granted: number[] = [];
    const q = new ServerQueue(cal, 0, (token) => {
      granted.push(token);
      q.release();
    });
    for (let i = 0; i < 100_000; i++) q.acquire(i);
    q.setServers(3);
    expect(granted.length).toBe(100_000);
    expect(granted[99_999]).toBe(99_999);
    expect(q.busy).toBe(0);
  });

  it('a grant made inside a callback runs after that callback returns, still in FIFO order', () => {
    const cal = new Calendar();
    const log: string[] = [];
    const q = new ServerQueue(cal, 1, (token) => {
      log.push(`start ${token}`);
      if (token < 3) q.release();
      log.push(`end ${token}`);
    });
    q.acquire(0);
    for (let t = 1; t <= 4; t++) q.acquire(t);
    q.release();
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
    expect(q.busy).toBe(1);
    expect(q.waiting).toBe(1);
  });

  it('random acquire/release programs with re-entrant releases keep servers and tokens conserved', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.tuple(fc.boolean(), fc.boolean()), { minLength: 1, maxLength: 300 }),
        (servers, program) => {
          const cal = new Calendar();
          const granted: number[] = [];
          const fail = new Set<number>();
          const q = new ServerQueue(cal, servers, (token) => {
            granted.push(token);
            if (fail.has(token)) q.release();
          });
          let next = 0;
          const queued: number[] = [];
          for (const [arrive, failing] of program) {
            if (arrive) {
              const token = next++;
              if (failing) fail.add(token);
              const r = q.acquire(token);
              if (r === 0) {
                if (failing) q.release();
              } else queued.push(token);
            } else if (q.busy > 0) q.release();
          }
          // every queued token was granted in FIFO order, or is still waiting
          expect(granted).toEqual(queued.slice(0, granted.length));
          expect(q.waiting).toBe(queued.length - granted.length);
          expect(q.busy).toBeLessThanOrEqual(servers);
        },
      ),
      { seed: 18, numRuns: 300 },
    );
  });
});
