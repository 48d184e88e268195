// How long a started pod takes to be ready: its application containers' start (lifecycle.podStartup,
// drawn per pod) and, where it carries a sidecar, the sidecar's. A native sidecar (Istio 1.27+) starts
// before the application containers, which wait for its startup probe (Kubernetes 1.29+ sidecar
// containers); a classic one starts beside them and the pod is ready once both are (istio/istio 1.28.0
// injection-template.yaml: native sidecars as init containers with restartPolicy Always; events/
// terminate.ts nativeSidecars).
import type { Distribution, RandomStreams, Rng } from '../../../sim/index.ts';
import {
  configSize,
  EndpointKind,
  envoyFullPushCpu,
  type IdleCoefficients,
  withIdleDefaults,
} from '../../mesh/index.ts';
import { DEFAULT_SIDECAR_STARTUP } from '../../scenario/index.ts';
import type { World } from '../world/index.ts';

export class PodStartup {
  private readonly w: World;
  private readonly app: Distribution;
  private readonly rng: Rng;
  private readonly idle: IdleCoefficients;
  /** Core-seconds a sidecar of each owner spends applying its first configuration. */
  private readonly configApply = new Map<string, number>();

  constructor(w: World, streams: RandomStreams) {
    this.w = w;
    this.app = w.podStartup;
    this.rng = streams.stream('pod-startup');
    this.idle = withIdleDefaults(w.scenario.mesh.idle);
  }

  /** Pod `pod` (-1: a node agent's) starting as `kind`, its sidecar native or not. */
  time(pod: number, kind: number, native: boolean): number {
    const app = Math.max(0, this.app.sample(this.rng));
    if (kind !== EndpointKind.Sidecar || pod < 0) return app;
    const sidecar = this.sidecar(pod);
    return native ? sidecar + app : Math.max(app, sidecar);
  }

  /**
   * A sidecar's start to ready: lifecycle.sidecarStartup (DEFAULT_SIDECAR_STARTUP) and then applying the
   * configuration it is sent whole, at one core (mesh/idle.ts envoyFullPushCpu of what it holds; ASSUMPTION:
   * not slowed by the node's contention), so that a sidecar seeing the whole mesh starts later than one
   * scoped to its callees.
   */
  private sidecar(pod: number): number {
    const w = this.w;
    const owner = w.placement.pods[pod]!.owner;
    let apply = this.configApply.get(owner);
    if (apply === undefined) {
      apply = envoyFullPushCpu(configSize(w.scenario, w.placement, 'sidecar', owner), this.idle);
      this.configApply.set(owner, apply);
    }
    return (w.scenario.lifecycle.sidecarStartup ?? DEFAULT_SIDECAR_STARTUP) + apply;
  }
}
