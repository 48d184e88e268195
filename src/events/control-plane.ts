// `upgrade: control-plane`: istiod rolls.
import { EndpointKind } from '../mesh/index.ts';
import type { DisruptionHost } from './host.ts';
import type { Tracker } from './record.ts';
import { none, running } from './workloads.ts';

export function controlPlane(host: DisruptionHost, t: Tracker): void {
  const sidecars = host.placement.pods.filter(
    (p) => running(host, p) && host.podKind[p.index] === EndpointKind.Sidecar,
  ).length;
  t.rec.mechanism =
    sidecars > 0
      ? `istiod rolls; no data-plane restart: ${sidecars} sidecars keep the old proxy version until their pods restart`
      : 'istiod rolls; no data-plane restart (ztunnel and waypoints upgrade separately)';
  t.rolledOut();
  t.settled();
}
