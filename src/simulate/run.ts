// The simulate stage: for each architecture, place the cluster, build the world, run the replications
// and summarise. The rounds of replications are planned by one generator (`session`) that two drivers
// feed: inline (`simulate`) and on worker threads (`simulateWith`), so both give the same bytes.
// Pure: the same scenario and seed give the same results, for any worker count.
import { mser5 } from '../../sim/index.ts';
import { type Placement, place } from '../cluster/index.ts';
import { type Architecture, type Scenario, scenarioHash } from '../scenario/index.ts';
import { MODEL_ASSUMPTIONS } from './assumptions.ts';
import { carryPlacement } from './placement-of.ts';
import { checkPrecision } from './precision.ts';
import { batchDone, PROGRESS_EVERY_MS, sharedTimes, simulatedShare } from './progress.ts';
import { type RepJob, replicateWorld, runJob } from './rep-job.ts';
import { aggregate } from './summarise/aggregate.ts';
import { archSamples, deltas } from './summarise/deltas.ts';
import { disruptionDeltas } from './summarise/disruption.ts';
import type { RepMeasure } from './summarise/measure.ts';
import { type ArchResult, RESULTS_SCHEMA, type Results } from './summarise/results.ts';
import { VERSION } from './version.ts';
import { buildWorld, type World } from './world/index.ts';

export interface RunOptions {
  /** Scenario file name recorded in the results. */
  file?: string;
  /**
   * Called with (done, planned so far) in replications: after each replication, and while some run, with
   * the share of its duration each has simulated counted in (so `done` may be fractional).
   */
  onProgress?: (done: number, total: number) => void;
}

/** One replication of one architecture. */
export function runReplication(s: Scenario, arch: Architecture, r: number): RepMeasure {
  return runJob({ scenario: s, arch, r });
}

export function simulateArchitecture(s: Scenario, arch: Architecture, onRep?: () => void): ArchResult {
  const placement = place(s, arch);
  const world = buildWorld(s, placement);
  const reps: RepMeasure[] = [];
  for (let r = 0; r < s.simulation.replications; r++) {
    reps.push(replicateWorld(world, r));
    onRep?.();
  }
  return carryPlacement(aggregate(world, reps), placement);
}

/** MSER-5 on the pilot's per-bin mean entry latency: the warm-up measured after, in seconds. */
function chooseWarmup(s: Scenario, pilots: RepMeasure[]): { warmup: number; settled: boolean } {
  let bins = 0;
  let settled = true;
  let step = s.simulation.timeStep;
  for (const m of pilots) {
    step = m.step;
    const series = m.latencyBins.map((h) => (h.count > 0 ? h.mean : Number.NaN));
    const r = mser5(series);
    bins = Math.max(bins, r.truncate);
    settled &&= r.settled;
  }
  return { warmup: bins * step, settled };
}

/** A placed cluster and its world, for one architecture and warm-up. */
interface Placed {
  placement: Placement;
  world: World;
}

/**
 * The worlds of a session, each placed and built once per architecture and warm-up: the inline driver
 * runs its replications on the same worlds the results are aggregated on.
 */
class Worlds {
  private readonly built = new Map<string, Placed>();
  of(s: Scenario, arch: Architecture): Placed {
    const key = `${arch}/${s.simulation.warmup}`;
    let w = this.built.get(key);
    if (!w) {
      const placement = place(s, arch);
      this.built.set(key, (w = { placement, world: buildWorld(s, placement) }));
    }
    return w;
  }
}

/**
 * A batch of replications to run, and what the session will aggregate them on (`prepare`: placing and
 * building those worlds here). A driver that runs the batch on worker threads calls prepare once a
 * worker has nothing left to take: this thread then builds them on that worker's core while the others
 * finish (on large, sidecar runs about 15 s longer than ambient), instead of before any worker starts.
 */
export interface Batch {
  jobs: RepJob[];
  prepare: () => void;
}

type Session = Generator<Batch, Results, RepMeasure[]>;

/** Plans the rounds of replications; each `yield` hands a batch to run and receives its measures. */
function* session(input: Scenario, file: string, built: Worlds): Session {
  let s = input;
  const notes: string[] = [];
  if (s.simulation.warmupAuto) {
    // Pilot: replication 0 of every architecture measured from the start.
    const pilot = { ...s, simulation: { ...s.simulation, warmup: 0 } };
    const pilots = yield {
      jobs: s.compare.map((arch) => ({ scenario: pilot, arch, r: 0 })),
      prepare: () => {},
    };
    const w = chooseWarmup(s, pilots);
    s = { ...s, simulation: { ...s.simulation, warmup: w.warmup } };
    notes.push(
      `warm-up ${w.warmup} s chosen by MSER-5 on the per-second latency series of a pilot replication`,
    );
    if (!w.settled)
      notes.push('MSER-5 found no point where the series settles: the system may not reach steady state');
  }
  const measured = s;
  const worlds = s.compare.map((arch) => ({ arch, get: () => built.of(measured, arch) }));
  const prepare = () => {
    for (const w of worlds) w.get();
  };
  const reps: RepMeasure[][] = worlds.map(() => []);
  const precision = s.simulation.precision;
  let n = s.simulation.replications;
  let done = 0;
  let archs: ArchResult[] = [];
  let ds: Results['deltas'] = [];
  let met: boolean | null = null;
  for (;;) {
    const jobs: RepJob[] = [];
    for (const { arch } of worlds) for (let r = done; r < n; r++) jobs.push({ scenario: s, arch, r });
    const got = yield { jobs, prepare };
    const per = n - done;
    for (let i = 0; i < worlds.length; i++) reps[i]!.push(...got.slice(i * per, (i + 1) * per));
    done = n;
    archs = worlds.map((x, i) => {
      const { placement, world } = x.get();
      return carryPlacement(aggregate(world, reps[i]!), placement);
    });
    ds = deltas(archs.map((a, i) => archSamples(a, reps[i]!)));
    if (!precision) break;
    const check = checkPrecision(precision, n, archs, ds);
    met = check.met;
    if (check.met || n >= precision.maxReplications) {
      if (!check.met)
        notes.push(`precision not met after ${n} replications (the maximum): widest is ${check.worst}`);
      break;
    }
    n = Math.min(precision.maxReplications, check.needed);
  }
  for (const a of archs) a.warnings.unshift(...notes);
  return {
    schema: RESULTS_SCHEMA,
    meshsimVersion: VERSION,
    scenario: {
      name: s.metadata.name,
      description: s.metadata.description,
      file,
      hash: scenarioHash(input),
      seed: s.simulation.seed,
      replications: n,
      duration: s.simulation.duration,
      warmup: s.simulation.warmup,
      warmupMethod: s.simulation.warmupAuto ? 'mser-5' : 'fixed',
      precision: precision ? { ...precision, met: met ?? false } : null,
    },
    assumptions: [...MODEL_ASSUMPTIONS],
    architectures: archs,
    deltas: ds,
    disruptionDeltas: disruptionDeltas(
      archs.map((a, i) => ({ architecture: a.architecture, reps: reps[i]!.map((r) => r.disruption) })),
    ),
  };
}

/** Runs every batch on this thread, one world per architecture and warm-up. */
export function simulate(s: Scenario, opts: RunOptions = {}): Results {
  const worlds = new Worlds();
  const it = session(s, opts.file ?? '', worlds);
  let done = 0;
  let step = it.next();
  while (!step.done) {
    const batch = step.value.jobs;
    const total = done + batch.length;
    const out = batch.map((job) => {
      const report = opts.onProgress;
      const duration = job.scenario.simulation.duration;
      const onTime = report ? (t: number) => report(done + simulatedShare(t, duration), total) : undefined;
      const m = replicateWorld(worlds.of(job.scenario, job.arch).world, job.r, onTime);
      opts.onProgress?.(++done, total);
      return m;
    });
    step = it.next(out);
  }
  return step.value;
}

/** Something that runs a batch of replications, in order (run-pool.ts for threads). */
export interface BatchRunner {
  /** Jobs it runs at once. */
  readonly workers: number;
  /** `onDone(i)` when job i has finished. */
  run(jobs: RepJob[], onDone: (i: number) => void): Promise<RepMeasure[]>;
}

/** The same session, with every batch handed to `runner` (worker threads): the same bytes. */
export async function simulateWith(
  s: Scenario,
  runner: BatchRunner,
  opts: RunOptions = {},
): Promise<Results> {
  const it = session(s, opts.file ?? '', new Worlds());
  let done = 0;
  let step = it.next();
  while (!step.done) {
    const { jobs, prepare } = step.value;
    const total = done + jobs.length;
    let left = jobs.length;
    let prepared = false;
    // A worker is idle once fewer jobs are left than there are workers: the worlds to aggregate on are
    // built then, a macrotask later (the pool has handed out its next job by then).
    const idle = () => {
      if (prepared || left >= runner.workers) return;
      prepared = true;
      setImmediate(() => {
        // A world that cannot be built here fails the session when it aggregates, with its own error.
        try {
          prepare();
        } catch {}
      });
    };
    // The workers write the simulated time each job has reached; a timer here reads it.
    const report = opts.onProgress;
    const times = report ? sharedTimes(jobs.length) : null;
    const finished = new Uint8Array(jobs.length);
    const show = () => report?.(done + (times ? batchDone(jobs, times, finished) : 0), total);
    const timer = times ? setInterval(show, PROGRESS_EVERY_MS) : null;
    timer?.unref();
    const sent = times ? jobs.map((job, at) => ({ ...job, progress: { times, at } })) : jobs;
    const running = runner.run(sent, (i) => {
      left--;
      finished[i] = 1;
      show();
      idle();
    });
    idle();
    let out: RepMeasure[];
    try {
      out = await running;
    } finally {
      if (timer) clearInterval(timer);
    }
    done = total;
    step = it.next(out);
  }
  return step.value;
}
