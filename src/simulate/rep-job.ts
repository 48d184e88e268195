// One replication as a job that can cross a thread: the scenario, the architecture, the replication
// index and the warm-up it measures after. What comes back crossed a structured clone, so its
// histograms are plain objects again until revived.
import { deriveSeed, Histogram } from '../../sim/index.ts';
import { place } from '../cluster/index.ts';
import type { Architecture, Scenario } from '../scenario/index.ts';
import { Replication } from './replication/replication.ts';
import { measure, type RepMeasure } from './summarise/measure.ts';
import { buildWorld, type World } from './world/index.ts';

export interface RepJob {
  scenario: Scenario;
  arch: Architecture;
  r: number;
  /**
   * Where the job writes the simulated time it has reached (`times[at]`, in seconds; its duration once
   * done): memory shared with the thread that shows progress (a SharedArrayBuffer crosses to a worker
   * as itself, not as a copy). Read for progress only, never by the simulation.
   */
  progress?: { times: Float64Array; at: number };
}

/**
 * Replication r of a world. It uses the same seed under every architecture (common random numbers), so
 * differences between architectures are not sampling noise and can be compared pair by pair.
 */
export function replicateWorld(world: World, r: number, onTime?: (simulated: number) => void): RepMeasure {
  const rep = new Replication(world, deriveSeed(world.scenario.simulation.seed, 'replication', r));
  rep.run(onTime);
  return measure(rep);
}

export function runJob(job: RepJob): RepMeasure {
  const world = buildWorld(job.scenario, place(job.scenario, job.arch));
  const p = job.progress;
  const onTime = p
    ? (t: number) => {
        p.times[p.at] = t;
      }
    : undefined;
  return replicateWorld(world, job.r, onTime);
}

const revive = (h: Histogram): Histogram =>
  h instanceof Histogram ? h : (Object.setPrototypeOf(h, Histogram.prototype) as Histogram);

/** A measure that crossed a thread: its histograms get their class back (the data is all there). */
export function reviveMeasure(m: RepMeasure): RepMeasure {
  m.entryHist = m.entryHist.map(revive);
  m.edgeHist = m.edgeHist.map(revive);
  m.latencyBins = m.latencyBins.map(revive);
  return m;
}
