// ServerBank: many FIFO multi-server queues in typed arrays, whose servers are freed by release() or by
// a hold that ends by itself. Hand cases, and a property test that holds give exactly what a release
// event scheduled at hold() gives (ServerQueue driven that way), even with ties in time.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Calendar, ServerBank, ServerQueue } from '../../sim/index.ts';

function setup(servers: number[]) {
  const cal = new Calendar();
  const grants: [q: number, token: number, waited: number, at: number][] = [];
  const bank = new ServerBank(cal, servers, (q, token, waited) => grants.push([q, token, waited, cal.now]));
  return { cal, bank, grants };
}

describe('ServerBank', () => {
  it('grants while servers are free, queues FIFO per queue, and release hands a server on', () => {
    const { bank, grants } = setup([1, 2]);
    expect(bank.acquire(0, 10)).toBe(true);
    expect(bank.acquire(0, 11)).toBe(false);
    expect(bank.acquire(0, 12)).toBe(false);
    expect(bank.acquire(1, 20)).toBe(true);
    expect(bank.acquire(1, 21)).toBe(true);
    expect(bank.acquire(1, 22)).toBe(false);
    expect([bank.busy(0), bank.waiting(0), bank.busy(1), bank.waiting(1)]).toEqual([1, 2, 2, 1]);
    bank.release(1);
    bank.release(0);
    expect(grants.map(([q, t]) => [q, t])).toEqual([
      [1, 22],
      [0, 11],
    ]);
    bank.release(0);
    bank.release(0);
    expect([bank.busy(0), bank.waiting(0)]).toEqual([0, 0]);
    expect(() => bank.release(0)).toThrow(RangeError);
  });

  it('a hold frees its server by itself, with no event while nobody waits', () => {
    const { cal, bank, grants } = setup([1]);
    const arrive = cal.on((token) => {
      if (bank.acquire(0, token)) bank.hold(0, cal.now + 2);
    });
    cal.scheduleAt(0, arrive, 1); // holds 0..2
    cal.scheduleAt(3, arrive, 2); // finds it free at 3: holds 3..5
    cal.run(3);
    expect(cal.pending).toBe(0);
    expect(bank.busy(0)).toBe(1);
    cal.run(6);
    expect(grants).toEqual([]);
    expect(cal.processed).toBe(2);
    expect(bank.busy(0)).toBe(0);
  });

  it('a token behind a hold is granted when the hold ends, its wait counted', () => {
    const cal = new Calendar();
    const grants: [token: number, waited: number, at: number][] = [];
    const bank = new ServerBank(cal, [1], (q, token, waited) => {
      grants.push([token, waited, cal.now]);
      bank.hold(q, cal.now + 2);
    });
    const arrive = cal.on((token) => {
      if (bank.acquire(0, token)) bank.hold(0, cal.now + 2);
    });
    cal.scheduleAt(0, arrive, 1); // holds 0..2
    cal.scheduleAt(0.5, arrive, 2); // waits 0.5..2, holds 2..4
    cal.scheduleAt(1, arrive, 3); // waits 1..4, holds 4..6
    cal.run();
    expect(grants).toEqual([
      [2, 1.5, 2],
      [3, 3, 4],
    ]);
    expect(cal.now).toBe(4);
    expect(bank.busy(0)).toBe(1);
  });

  it('gives exactly the grants of a ServerQueue released by events scheduled at hold(), ties included', () => {
    // Integer arrival times and service times 0..2 make ties between arrivals, ends and grants common.
    const job = fc.record({
      at: fc.integer({ min: 0, max: 6 }),
      q: fc.integer({ min: 0, max: 1 }),
      service: fc.integer({ min: 0, max: 2 }),
      // Some servers are freed by release() (a job the processor runs), the others by a hold.
      held: fc.boolean(),
    });
    const servers = fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 }));
    fc.assert(
      fc.property(fc.array(job, { maxLength: 40 }), servers, (jobs, c) => {
        expect(runBank(jobs, c)).toEqual(runQueues(jobs, c));
      }),
      { numRuns: 300 },
    );
  });
});

interface Job {
  at: number;
  q: number;
  service: number;
  held: boolean;
}

function runBank(jobs: Job[], c: [number, number]): string[] {
  const cal = new Calendar();
  const log: string[] = [];
  const release = cal.on((q) => bank.release(q));
  const start = (q: number, token: number) => {
    log.push(`${cal.now} q${q} #${token}`);
    const j = jobs[token]!;
    if (j.held) bank.hold(q, cal.now + j.service);
    else cal.schedule(j.service, release, q);
  };
  const bank = new ServerBank(cal, c, (q, token) => start(q, token));
  const arrive = cal.on((token) => {
    const q = jobs[token]!.q;
    if (bank.acquire(q, token)) start(q, token);
  });
  for (const [token, j] of jobs.entries()) cal.scheduleAt(j.at, arrive, token);
  cal.run();
  return log;
}

function runQueues(jobs: Job[], c: [number, number]): string[] {
  const cal = new Calendar();
  const log: string[] = [];
  const release = cal.on((q) => queues[q]!.release());
  const start = (q: number, token: number) => {
    log.push(`${cal.now} q${q} #${token}`);
    cal.schedule(jobs[token]!.service, release, q);
  };
  const queues = c.map((n, q) => new ServerQueue(cal, n, (token) => start(q, token)));
  const arrive = cal.on((token) => {
    const q = jobs[token]!.q;
    if (queues[q]!.acquire(token) === 0) start(q, token);
  });
  for (const [token, j] of jobs.entries()) cal.scheduleAt(j.at, arrive, token);
  cal.run();
  return log;
}

describe('ServerBank trampoline and drain', () => {
  it('a line of 200,000 tokens that each give their server straight back drains in constant stack', () => {
    const cal = new Calendar();
    let granted = 0;
    const bank = new ServerBank(cal, [1], (q) => {
      granted++;
      bank.release(q);
    });
    expect(bank.acquire(0, -1)).toBe(true);
    for (let t = 0; t < 200_000; t++) expect(bank.acquire(0, t)).toBe(false);
    bank.release(0);
    expect(granted).toBe(200_000);
    expect([bank.busy(0), bank.waiting(0)]).toEqual([0, 0]);
  });

  it('grants made inside an onGrant run after it, in grant order', () => {
    const cal = new Calendar();
    const seen: string[] = [];
    const bank = new ServerBank(cal, [1, 1], (q, token) => {
      seen.push(`start ${q}:${token}`);
      if (token === 1) bank.release(1); // hands queue 1's server to token 2 while token 1's grant runs
      seen.push(`end ${q}:${token}`);
    });
    bank.acquire(0, 0);
    bank.acquire(0, 1);
    bank.acquire(1, 9);
    bank.acquire(1, 2);
    bank.release(0);
    expect(seen).toEqual(['start 0:1', 'end 0:1', 'start 1:2', 'end 1:2']);
  });

  it('drain empties a line, oldest first, and the cells are reused', () => {
    const cal = new Calendar();
    const bank = new ServerBank(cal, [1, 1], () => {});
    bank.acquire(0, 1);
    for (const t of [2, 3, 4]) bank.acquire(0, t);
    bank.acquire(1, 7);
    bank.acquire(1, 8);
    expect(bank.drain(0)).toEqual([2, 3, 4]);
    expect(bank.waiting(0)).toBe(0);
    expect(bank.acquire(0, 5)).toBe(false);
    expect(bank.drain(0)).toEqual([5]);
    expect(bank.drain(1)).toEqual([8]);
  });
});
