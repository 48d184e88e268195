// What a run will cost before it starts: events, memory, wall time and output size, from the scenario's
// size alone. The coefficients were measured on this project's reference machine (2 cores, Node 20,
// `npm run bench:mesh`, 2026-11): they are estimates to refuse the impossible early, not predictions.
import { type Architecture, peakRate, type Scenario } from '../scenario/index.ts';
import { seriesBins } from '../simulate/index.ts';
import { entryVisits, visitsPerRequest } from './visits.ts';

/**
 * Kernel events per service visit (entry request or call), by architecture: events / (duration x entry
 * rate x visits per request), measured with bench/mesh-one.ts on 2026-12-02 (00381a6). No mesh,
 * quickstart: 3.8. Sidecar and ambient: quickstart 5.5 and 5.4, large 5.5 and 5.4, huge 6.3 for both
 * (567.6 M events, `bench/run-one.ts scenarios/huge.yaml` on 2026-12-02, d122630; 454.6 M once its
 * warm-up was cut from 5 s to 2 s, 2026-12-03: the same 37.9 M events per simulated second). Huge's
 * nodes are busier, so more of their CPU work queues and completes as an event: 5 node processor
 * completions per entry request against large's 1.2 (bench/count-events.ts). 6 splits large and huge
 * (+9 %, -5 %).
 */
const EVENTS_PER_VISIT: Record<Architecture, number> = {
  none: 4,
  sidecar: 6,
  ambient: 6,
  // ASSUMPTION (not measured): namespaces choose their data plane, a mix of the two meshes and of none,
  // counted as a mesh so that the estimate errs on the long side.
  'as-labelled': 6,
};
/**
 * Simulated events per wall-clock second on one core, by the number of application pods: an event
 * touches a node's processor, pods and connections, and past a few tens of thousands of pods that state
 * no longer fits the cache, so each event costs more (docs/scale.md). PEAK / (1 + pods / HALF_SPEED_PODS),
 * fitted to `meshsim run` on 2 worker threads as `npm run bench:mesh -- --huge` ran it (2026-12-03,
 * 68be939, Intel Xeon, 2 cores, malloc on huge pages as bin/huge-pages.mjs sets it): large (30,000
 * pods) 98.4 M events in 38.3 s, 1.28 M/s per worker; huge (150,000 pods, 12 s) 454.6 M in 326.8 s,
 * 0.70 M/s. Fits before: the same morning, 1.31 M/s and 108,000 pods (large 48.0 s, huge 413.7 s);
 * 2026-11-30 on an AMD EPYC, 1.6 M/s and 60,000 pods. Small runs go faster than the fit says
 * (quickstart alone: 2.2-2.5 M/s against 1.6 M/s): the estimate errs on the long side there.
 */
const PEAK_EVENTS_PER_SECOND = 1.63e6;
const HALF_SPEED_PODS = 112_000;

/** Simulated events per wall-clock second on one core of the reference machine, for a cluster of `pods`. */
export function eventsPerSecond(pods: number): number {
  return PEAK_EVENTS_PER_SECOND / (1 + pods / HALF_SPEED_PODS);
}
/** Fixed memory of a process that has loaded meshsim (quickstart peaks at 114-118 MiB). */
const BASE_MEMORY = 128 * 2 ** 20;
/** Memory per pod and per node held by one replication (large: 30,000 pods, 1,200 nodes, 348 MiB). */
const MEMORY_PER_POD = 8 * 2 ** 10;
const MEMORY_PER_NODE = 16 * 2 ** 10;
/**
 * The per-time-step series: one latency histogram per bin, per architecture and replication; the
 * number of bins is capped (simulate's seriesBins), so this term stops growing with the duration.
 */
const MEMORY_PER_STEP = 16 * 2 ** 10;
/** results.json bytes per time step and entry point, per architecture (the per-second series). */
const OUTPUT_PER_STEP = 400;
/** results.json bytes per service, call edge and component, per architecture. */
const OUTPUT_PER_ITEM = 4 * 2 ** 10;

export interface RunEstimate {
  /**
   * Architectures x replications; with simulation.precision, x its maxReplications when more: the run
   * replicates until its precision is met, and the estimate must hold if it never is.
   */
  simulations: number;
  entryRequests: number;
  events: number;
  pods: number;
  nodes: number;
  /** Peak bytes of the process. */
  memory: number;
  /** Seconds on the reference machine with `workers` simulations at once. */
  wallSeconds: number;
  /** Bytes of results.json. */
  outputBytes: number;
}

export function estimateRun(s: Scenario, workers = 1): RunEstimate {
  const archs = s.compare.length;
  const precision = s.simulation.precision;
  const reps = Math.max(s.simulation.replications, precision?.maxReplications ?? 0);
  const simulations = archs * reps;
  // The duration counts the warm-up in: a replication simulates [0, duration) and measures after warmup.
  const seconds = s.simulation.duration;
  const visits = visitsPerRequest(s);
  let entryRequests = 0;
  let perRun = 0;
  for (const e of s.traffic) {
    const requests = peakRate(e) * seconds;
    entryRequests += requests;
    perRun += requests * entryVisits(e, visits);
  }
  let perVisit = 0;
  for (const arch of s.compare) perVisit += EVENTS_PER_VISIT[arch];
  const events = perRun * perVisit * reps;
  let pods = 0;
  for (const svc of s.services) pods += svc.replicas;
  let nodes = 0;
  for (const p of s.cluster.nodePools) nodes += p.count;
  // A platform DaemonSet's pods have their tables too: at most one per node each.
  pods += nodes * (s.cluster.daemonSets?.length ?? 0);
  const steps = seriesBins(s.simulation.duration, s.simulation.timeStep);
  const memory =
    BASE_MEMORY +
    Math.min(workers, simulations) * (pods * MEMORY_PER_POD + nodes * MEMORY_PER_NODE) +
    simulations * steps * MEMORY_PER_STEP;
  const edges = s.services.reduce((n, svc) => n + svc.calls.length, 0);
  const outputBytes =
    archs * (steps * s.traffic.length * OUTPUT_PER_STEP + (s.services.length + edges + 8) * OUTPUT_PER_ITEM);
  const wallSeconds = events / eventsPerSecond(pods) / Math.max(1, Math.min(workers, simulations));
  return {
    simulations,
    entryRequests: entryRequests * simulations,
    events,
    pods,
    nodes,
    memory,
    wallSeconds,
    outputBytes,
  };
}
