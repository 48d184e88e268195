// Turns the scenario's events into mechanisms for the architecture being simulated: the same
// `upgrade: dataplane` is a rolling restart of every injected pod with sidecars, a ztunnel DaemonSet
// update in ambient mode, and nothing at all without a mesh.
import type { Scenario, ScenarioEvent } from '../scenario/index.ts';
import {
  type AutoscaleRecord,
  type Autoscalers,
  type ControlPlaneRun,
  startAutoscalers,
} from './autoscale.ts';
import { controlPlane } from './control-plane.ts';
import { dataplane } from './dataplane.ts';
import { fault } from './fault-event.ts';
import { gateway } from './gateway.ts';
import type { DisruptionHost } from './host.ts';
import { migrate } from './migrate.ts';
import { type EvictionCount, NodePressure } from './node-pressure.ts';
import { type DisruptionRecord, Tracker } from './record.ts';
import { scale } from './scale.ts';
import { Versions } from './versions.ts';
import { waypoints } from './waypoints.ts';
import { workloadsOf } from './workloads.ts';

export interface ScheduledEvents {
  /** Closes every record at the end of the run. */
  close(runEnd: number, warmup: number): DisruptionRecord[];
  /** What each autoscaler did, at the end of the run. */
  autoscaling(runEnd: number): AutoscaleRecord[];
  /** istiod's simulated push load over the measured window, null where istiod does not run. */
  controlPlane(runEnd: number): ControlPlaneRun | null;
  /** Pods the kubelets evicted under memory pressure within the measured window. */
  evictions(): EvictionCount;
}

export function scheduleEvents(host: DisruptionHost, s: Scenario): ScheduledEvents {
  const trackers: Tracker[] = [];
  const versions = new Versions(s.mesh.version);
  const autoscalers = startAutoscalers(host, s, versions);
  const pressure = new NodePressure(host, s.simulation.warmup, s.simulation.duration);
  for (const ev of s.events) {
    host.after(ev.at - host.now, () => trackers.push(start(host, s, ev, versions, autoscalers)));
  }
  return {
    close: (end, warmup) => trackers.map((t) => t.close(end, warmup)),
    autoscaling: (end) => autoscalers.close(end),
    controlPlane: (end) => autoscalers.controlPlane(end),
    evictions: () => pressure.count(),
  };
}

function label(ev: ScenarioEvent): string {
  switch (ev.kind) {
    case 'upgrade':
      if (ev.target === 'dataplane') return `upgrade dataplane (${ev.strategy})`;
      if (ev.target === 'gateway') return 'upgrade ingress gateway';
      return ev.target === 'waypoint'
        ? `upgrade waypoint${ev.waypoint ? ` ${ev.waypoint}` : 's'}`
        : `upgrade control plane to ${ev.to}`;
    case 'migrate':
      return `migrate ${ev.namespaces.join(', ')} to ambient`;
    case 'scale':
      return `scale ${ev.target} to ${ev.replicas}`;
    case 'fault':
      return `fault: ${ev.target} ${ev.selector}`;
  }
}

function start(
  host: DisruptionHost,
  s: Scenario,
  ev: ScenarioEvent,
  versions: Versions,
  autoscalers: Autoscalers,
): Tracker {
  const t = new Tracker(host, label(ev), ev.kind, '');
  switch (ev.kind) {
    case 'upgrade':
      if (ev.target === 'dataplane') dataplane(host, ev, versions, t, workloadsOf(s));
      else if (ev.target === 'waypoint') waypoints(host, s, ev.rollout, versions, t, ev.waypoint);
      else if (ev.target === 'gateway') gateway(host, s, ev.rollout, t);
      else controlPlane(host, s, ev, versions, t);
      break;
    case 'migrate':
      migrate(host, ev, t, workloadsOf(s).daemonSets);
      break;
    case 'scale':
      scale(s, ev, t, autoscalers);
      break;
    case 'fault':
      fault(host, ev, t);
      break;
  }
  return t;
}
