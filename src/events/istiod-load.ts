// The CPU istiod spends on xDS pushes during a run, for its autoscaler. Two terms, each a push to every
// connected proxy at mesh.istiod.cpuPerPush:
//  - steady churn: mesh.istiod.configChangesPerSecond changes per second (the static model of
//    mesh/istiod.ts, now integrated over the proxies connected at each moment);
//  - the run's own endpoint changes: every pod that enters or leaves load balancing (a rollout, an
//    autoscaler's new pods, a fault) is an EndpointSlice event. istiod debounces events: it pushes once
//    no event came for PILOT_DEBOUNCE_AFTER (100 ms), or once the oldest pending one is PILOT_DEBOUNCE_MAX
//    (10 s) old, and merges everything pending into one push (istio/istio 1.28.0 pilot/pkg/features/
//    tuning.go DebounceAfter, DebounceMax, EnableEDSDebounce true; the loop in pilot/pkg/xds/discovery.go
//    debounce). ASSUMPTION: each debounced push goes to every connected proxy (no Sidecar scoping in sidecar
//    mode; in ambient every ztunnel learns every workload, and waypoints are counted alike), and a push
//    costs the same CPU whatever it carries.
import type { MeshSettings } from '../scenario/index.ts';
import type { DisruptionHost } from './host.ts';

type Clock = Pick<DisruptionHost, 'now' | 'after' | 'readinessListeners'>;

/** Slack for comparing instants built from sums of seconds. */
const EPS = 1e-9;

export class IstiodLoad {
  /** Debounced pushes made so far (each to every connected proxy). */
  pushes = 0;
  private readonly host: Clock;
  private readonly d: MeshSettings['istiod'];
  private readonly proxies: () => number;
  private cpu = 0;
  private at: number;
  /** The first and last endpoint events not pushed yet (NaN: none pending). */
  private first = Number.NaN;
  private last = Number.NaN;

  /** `proxies()`: proxies connected to istiod now. */
  constructor(host: Clock, d: MeshSettings['istiod'], proxies: () => number) {
    this.host = host;
    this.d = d;
    this.proxies = proxies;
    this.at = host.now;
    host.readinessListeners.push(() => this.event());
  }

  /** istiod's CPU seconds since it started counting. */
  cpuSeconds(): number {
    this.accumulate();
    return this.cpu;
  }

  private accumulate(): void {
    const now = this.host.now;
    this.cpu += this.d.configChangesPerSecond * this.proxies() * this.d.cpuPerPush * (now - this.at);
    this.at = now;
  }

  private event(): void {
    const now = this.host.now;
    this.last = now;
    if (!Number.isNaN(this.first)) return;
    this.first = now;
    this.host.after(this.d.debounceAfter, () => this.check());
  }

  private check(): void {
    const now = this.host.now;
    const quiet = now - this.last;
    if (quiet + EPS >= this.d.debounceAfter || now - this.first + EPS >= this.d.debounceMax) {
      this.accumulate();
      this.cpu += this.proxies() * this.d.cpuPerPush;
      this.pushes++;
      this.first = Number.NaN;
      return;
    }
    const wait = Math.min(this.d.debounceAfter - quiet, this.first + this.d.debounceMax - now);
    this.host.after(wait, () => this.check());
  }
}
