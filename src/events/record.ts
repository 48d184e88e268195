// What one disruption event did in one architecture: counted from the mechanisms while the run goes,
// attributed to the event by its time window (overlapping events share what happens in both windows).
import type { DisruptionCounters, DisruptionHost } from './host.ts';

export interface DisruptionRecord {
  label: string;
  kind: string;
  at: number;
  /** What the event means in this architecture, in words. */
  mechanism: string;
  completed: boolean;
  /** When the last new pod was ready (kubectl rollout status), seconds after `at`. */
  rolloutDuration: number | null;
  /** When everything old was gone (drains and grace periods included), seconds after `at`. */
  settledAfter: number | null;
  /** Application (and waypoint) pods restarted. */
  podsRestarted: number;
  /** DaemonSet pods (ztunnel) replaced: not application restarts. */
  daemonSetPodsReplaced: number;
  /** Pods evicted by kube-scheduler to make room for a higher-priority pod (counted in podsRestarted too). */
  podsPreempted: number;
  /** Caller connections force-closed under their clients (requests in flight on them fail). */
  connectionsReset: number;
  /** Caller connections closed gracefully by a draining server: the client reconnects, nothing fails. */
  connectionsDrained: number;
  pooledConnectionsReset: number;
  resetsByService: Record<string, number>;
  requestsFailed: number;
  requestsRetried: number;
  /** Lowest ready replicas / desired replicas per Deployment touched, during the window. */
  lowestReadyCapacity: Record<string, number>;
  /** Peak extra requests of pods that existed next to the ones they replaced, and time pods waited for room. */
  surge: { cpu: number; memory: number; pendingSeconds: number; pendingPods: number };
  /** Node-hours of a second node pool (blue/green). */
  extraNodeHours: number;
  blastRadius: { pods: number; services: string[]; nodes: number } | null;
  p99Window: number | null;
  p99Before: number | null;
  notes: string[];
}

/** A record of an event at `at` before anything is counted: the shape every Tracker starts from. */
export function emptyRecord(label: string, kind: string, at: number, mechanism: string): DisruptionRecord {
  return {
    label,
    kind,
    at,
    mechanism,
    completed: false,
    rolloutDuration: null,
    settledAfter: null,
    podsRestarted: 0,
    daemonSetPodsReplaced: 0,
    podsPreempted: 0,
    connectionsReset: 0,
    connectionsDrained: 0,
    pooledConnectionsReset: 0,
    resetsByService: {},
    requestsFailed: 0,
    requestsRetried: 0,
    lowestReadyCapacity: {},
    surge: { cpu: 0, memory: 0, pendingSeconds: 0, pendingPods: 0 },
    extraNodeHours: 0,
    blastRadius: null,
    p99Window: null,
    p99Before: null,
    notes: [],
  };
}

/** Collects one record while its event runs. */
export class Tracker {
  readonly rec: DisruptionRecord;
  private readonly host: DisruptionHost;
  private readonly start: DisruptionCounters;
  private readonly desired = new Map<string, number>();
  private surgeCpu = 0;
  private surgeMemory = 0;
  private end: number | null = null;
  /** Pods still waiting for room, with the time each started waiting. */
  private readonly waiting = new Map<number, number>();
  private readonly listener: (owner: string) => void;

  constructor(host: DisruptionHost, label: string, kind: string, mechanism: string) {
    this.host = host;
    this.start = host.counters();
    this.rec = emptyRecord(label, kind, host.now, mechanism);
    this.listener = (owner) => this.observe(owner);
    host.readinessListeners.push(this.listener);
  }

  /** Follow an owner's ready capacity against its desired replicas. */
  watch(owner: string, desired: number): void {
    if (desired <= 0 || this.desired.has(owner)) return;
    this.desired.set(owner, desired);
    this.observe(owner);
  }

  private observe(owner: string): void {
    const d = this.desired.get(owner);
    if (d === undefined || this.end !== null) return;
    const frac = this.host.readyCount(owner) / d;
    const cur = this.rec.lowestReadyCapacity[owner];
    if (cur === undefined || frac < cur) this.rec.lowestReadyCapacity[owner] = frac;
  }

  surge(cpu: number, memory: number): void {
    this.surgeCpu += cpu;
    this.surgeMemory += memory;
    this.rec.surge.cpu = Math.max(this.rec.surge.cpu, this.surgeCpu);
    this.rec.surge.memory = Math.max(this.rec.surge.memory, this.surgeMemory);
  }

  /** Pod `pod` starts waiting for room; call the returned function when it gets some. */
  pendingStart(pod: number): () => void {
    const since = this.host.now;
    this.rec.surge.pendingPods++;
    this.waiting.set(pod, since);
    return () => {
      this.waiting.delete(pod);
      this.rec.surge.pendingSeconds += this.host.now - since;
    };
  }

  restarted(): void {
    this.rec.podsRestarted++;
    this.host.podsRestarted++;
  }

  rolledOut(): void {
    this.rec.rolloutDuration = this.host.now - this.rec.at;
  }

  /** Everything the event started is over. */
  settled(): void {
    if (this.end !== null) return;
    this.end = this.host.now;
    this.rec.settledAfter = this.end - this.rec.at;
    this.rec.completed = true;
  }

  /** Fills the counters at the end of the run (or of the event). */
  close(runEnd: number, warmup: number): DisruptionRecord {
    const end = this.end ?? runEnd;
    const now = this.host.counters();
    const r = this.rec;
    r.connectionsReset = now.connectionsReset - this.start.connectionsReset;
    r.connectionsDrained = now.connectionsDrained - this.start.connectionsDrained;
    r.pooledConnectionsReset = now.pooledConnectionsReset - this.start.pooledConnectionsReset;
    r.requestsFailed = now.requestsFailed - this.start.requestsFailed;
    r.requestsRetried = now.requestsRetried - this.start.requestsRetried;
    for (const [svc, n] of Object.entries(now.resetsByService)) {
      const d = n - (this.start.resetsByService[svc] ?? 0);
      if (d > 0) r.resetsByService[svc] = d;
    }
    // Pods still waiting for room at the end of the run waited all that time.
    for (const since of this.waiting.values()) r.surge.pendingSeconds += runEnd - since;
    this.waiting.clear();
    // An instantaneous event still gets the one-second bin it falls in.
    r.p99Window = this.host.p99Between(r.at, Math.max(end, r.at + 1));
    r.p99Before = r.at > warmup ? this.host.p99Between(warmup, r.at) : null;
    return r;
  }
}

/** Kubernetes IntOrString against a replica count: surge rounds up, unavailability down. */
export function resolveIntOrPercent(
  v: { value: number; percent: boolean },
  replicas: number,
  up: boolean,
): number {
  if (!v.percent) return v.value;
  const x = (v.value / 100) * replicas;
  return up ? Math.ceil(x) : Math.floor(x);
}
