// A G/G/c queue built only from the kernel's public API, with the textbook results to check it against.
import { Calendar, type Distribution, RandomStreams, ServerQueue, Welford } from '../../../sim/index.ts';

export interface QueueRun {
  meanWait: number;
  /** Time-average number in system (waiting + in service). */
  meanInSystem: number;
  utilisation: number;
  /** Mean time in system of customers that arrived after warm-up and left before the end. */
  meanSojourn: number;
  /** Departures per unit time after warm-up. */
  throughput: number;
  /** FNV-1a over (time, payload) of every executed event. */
  traceHash: number;
}

export interface QueueModel {
  servers: number;
  interarrival: Distribution;
  service: Distribution;
  warmup: number;
  horizon: number;
}

export function runQueue(m: QueueModel, seed: string | number): QueueRun {
  const cal = new Calendar();
  const streams = new RandomStreams(seed);
  const arrivals = streams.stream('arrivals');
  const services = streams.stream('services');
  const arrivedAt: number[] = [];
  const sojourn = new Welford();
  const trace = new TraceHash();
  let departures = 0;

  const depart = cal.on((token) => {
    trace.add(cal.now, token);
    const t0 = arrivedAt[token]!;
    if (t0 >= m.warmup) sojourn.add(cal.now - t0);
    if (cal.now >= m.warmup) departures++;
    queue.release();
  });
  const queue = new ServerQueue(cal, m.servers, (token) => {
    cal.schedule(m.service.sample(services), depart, token);
  });
  const arrive = cal.on((token) => {
    trace.add(cal.now, token);
    arrivedAt.push(cal.now);
    if (queue.acquire(token) === 0) cal.schedule(m.service.sample(services), depart, token);
    cal.schedule(m.interarrival.sample(arrivals), arrive, token + 1);
  });
  cal.schedule(m.interarrival.sample(arrivals), arrive, 0);

  cal.run(m.warmup);
  queue.resetStats(cal.now);
  const end = m.warmup + m.horizon;
  cal.run(end);
  const s = queue.stats(cal.now);
  return {
    meanWait: s.waits.mean,
    meanInSystem: s.meanBusy + s.meanWaiting,
    utilisation: s.utilisation,
    meanSojourn: sojourn.mean,
    throughput: departures / m.horizon,
    traceHash: trace.value,
  };
}

/** FNV-1a (32-bit) over the bytes of (time, payload) pairs. */
export class TraceHash {
  value = 0x811c9dc5;
  private f = new Float64Array(2);
  private b = new Uint8Array(this.f.buffer);
  add(time: number, payload: number): void {
    this.f[0] = time;
    this.f[1] = payload;
    let h = this.value;
    for (const byte of this.b) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
    this.value = h;
  }
}

/** Erlang C: probability an arrival waits in M/M/c with offered load a = lambda / mu (a < c). */
export function erlangC(c: number, a: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 1; k < c; k++) {
    term *= a / k;
    sum += term;
  }
  const last = ((term * a) / c) * (c / (c - a));
  return last / (sum + last);
}

/** M/M/c: mean wait in queue, mean number in system, utilisation. */
export function mmcTheory(c: number, lambda: number, mu: number) {
  const a = lambda / mu;
  const wq = erlangC(c, a) / (c * mu - lambda);
  return { wq, l: lambda * (wq + 1 / mu), rho: a / c };
}

/** M/D/1 (Pollaczek-Khinchine): service time d. */
export function md1Theory(lambda: number, d: number) {
  const rho = lambda * d;
  const wq = (rho * d) / (2 * (1 - rho));
  return { wq, l: lambda * (wq + d), rho };
}
