// Processor against processor-sharing theory, Student-t 95 % CI over independent replications.
import { describe, expect, it } from 'vitest';
import {
  Calendar,
  confidenceInterval,
  constant,
  type Distribution,
  exponential,
  Processor,
  RandomStreams,
  replicate,
  Welford,
} from '../../sim/index.ts';
import { md1Theory, mmcTheory } from './helpers/queue-model.ts';

const REPS = 20;

/** Poisson arrivals into one group of a c-core processor; mean sojourn of jobs arriving after warm-up. */
function sojourn(
  cores: number,
  lambda: number,
  service: Distribution,
  horizon: number,
  seed: string,
): number {
  const cal = new Calendar();
  const streams = new RandomStreams(seed);
  const arrivals = streams.stream('arrivals');
  const services = streams.stream('services');
  const interarrival = exponential(1 / lambda);
  const warmup = horizon / 10;
  const arrivedAt: number[] = [];
  const stats = new Welford();
  const cpu = new Processor(cal, cores, (token) => {
    const t0 = arrivedAt[token]!;
    if (t0 >= warmup) stats.add(cal.now - t0);
  });
  const group = cpu.addGroup(1024);
  const arrive = cal.on((token) => {
    arrivedAt.push(cal.now);
    cpu.start(group, service.sample(services), token);
    cal.schedule(interarrival.sample(arrivals), arrive, token + 1);
  });
  cal.schedule(interarrival.sample(arrivals), arrive, 0);
  cal.run(warmup + horizon);
  return stats.mean;
}

function meanSojournCI(cores: number, lambda: number, service: Distribution, horizon: number, name: string) {
  return confidenceInterval(replicate(name, REPS, (seed) => sojourn(cores, lambda, service, horizon, seed)));
}

function expectCovers(ci: { lo: number; hi: number; half: number }, truth: number): void {
  expect(truth, `truth ${truth} outside [${ci.lo}, ${ci.hi}]`).toBeGreaterThanOrEqual(ci.lo);
  expect(truth, `truth ${truth} outside [${ci.lo}, ${ci.hi}]`).toBeLessThanOrEqual(ci.hi);
  expect(ci.half).toBeLessThan(0.1 * truth); // and the interval is informative
}

describe('M/G/1 processor sharing: mean sojourn S / (1 - rho), whatever the service distribution', () => {
  const S = 1;
  for (const rho of [0.5, 0.8]) {
    it(`exponential service, rho ${rho}`, () => {
      const ci = meanSojournCI(1, rho / S, exponential(S), 60_000, `mm1ps-${rho}`);
      expectCovers(ci, S / (1 - rho));
    });
  }

  it('deterministic service of the same mean gives the same mean sojourn (insensitivity), unlike FIFO', () => {
    const rho = 0.8;
    const ci = meanSojournCI(1, rho / S, constant(S), 60_000, 'md1ps');
    expectCovers(ci, S / (1 - rho));
    // FIFO with the same input would give W = Wq + S (Pollaczek-Khinchine), 3 instead of 5
    const fifo = md1Theory(rho / S, S);
    expect(fifo.wq + S).toBeLessThan(ci.lo);
  });
});

describe('M/M/c processor sharing with one-core jobs', () => {
  it('4 cores at rho 0.9: the number in system is the M/M/c birth-death chain, so W is Erlang C', () => {
    // with n jobs each runs at min(1, c/n): departures at min(n, c) mu, as in M/M/c FIFO
    const c = 4;
    const lambda = 3.6;
    const ci = meanSojournCI(c, lambda, exponential(1), 40_000, 'mmcps');
    const truth = mmcTheory(c, lambda, 1);
    expectCovers(ci, truth.wq + 1);
  });
});
