// The parts of one replication, as the request path (request-path.ts) and the disruption host see them,
// and the calendar handlers of the call's events.
import type { Calendar } from '../../../sim/index.ts';
import type { CallTable } from '../calls.ts';
import type { World } from '../world/index.ts';
import type { Applications } from './applications.ts';
import type { Arrivals } from './arrivals.ts';
import type { Balancing } from './balancing.ts';
import type { ClosedLoops } from './closed-loop.ts';
import type { Connections } from './connections.ts';
import type { Hops } from './hops.ts';
import type { Locality } from './locality.ts';
import type { Mixes } from './mixes.ts';
import type { NodeCpu } from './node-cpu.ts';
import type { Outliers } from './outliers.ts';
import type { Pods } from './pods.ts';
import type { Proxies } from './proxies.ts';
import type { Recorder } from './recorder.ts';
import type { Retries } from './retries.ts';
import type { UpstreamPools } from './upstream-pools.ts';

/** Calendar handler ids of the state machine's events, named after the method each one runs. */
export class Handlers {
  arrive = -1;
  atHop = -1;
  atApp = -1;
  nextBatch = -1;
  complete = -1;
  timeout = -1;
  startAttempt = -1;
  retryOrFail = -1;
  send = -1;
  /** A request leaves its load generator (entries.ts leave). */
  leave = -1;
  /** An attempt's per-try timeout (per-try-timeouts.ts). */
  tryTimeout = -1;
}

/** The parts a request path drives (segments.ts and request-path.ts are built over them). */
export interface Parts {
  w: World;
  cal: Calendar;
  calls: CallTable;
  arrivals: Arrivals;
  loops: ClosedLoops;
  locality: Locality;
  mixes: Mixes;
  pods: Pods;
  apps: Applications;
  proxies: Proxies;
  cpu: NodeCpu;
  hops: Hops;
  connections: Connections;
  balancing: Balancing;
  /** Outlier detection and locality failover over the balancing Envoys' picks. */
  outliers: Outliers;
  pools: UpstreamPools;
  retries: Retries;
  recorder: Recorder;
}
