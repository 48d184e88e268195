// `upgrade: gateway`: a rolling restart of the ingress gateway Deployment (a new gateway image, or
// `kubectl rollout restart`). Its old pods drain like any Envoy: they stop taking new connections,
// finish what they carry for terminationDrainDuration and leave within the chart's grace period.
import { gatewayOwner } from '../cluster/index.ts';
import type { RolloutSettings, Scenario } from '../scenario/index.ts';
import type { DisruptionHost } from './host.ts';
import type { Tracker } from './record.ts';
import { rollDeployments } from './roll-deployments.ts';
import { none, running } from './workloads.ts';

export function gateway(host: DisruptionHost, s: Scenario, rollout: RolloutSettings, t: Tracker): void {
  const owner = gatewayOwner(s);
  const pods = (host.placement.byOwner.get(owner) ?? []).filter((i) =>
    running(host, host.placement.pods[i]!),
  );
  if (pods.length === 0) {
    none(t, 'no ingress gateway runs (no entry point comes in via: ingress)');
    return;
  }
  const drain = host.lifecycle.sidecarDrain;
  // The gateway chart's terminationGracePeriodSeconds is 30 (istio/istio 1.28.0
  // manifests/charts/gateway/values.yaml), Kubernetes' default, which lifecycle.terminationGrace holds.
  const grace = host.lifecycle.terminationGrace;
  t.rec.mechanism = `rolling restart of ${pods.length} ingress gateway pods; old pods drain for ${drain} s within a ${grace} s grace period`;
  rollDeployments(
    host,
    new Map([[owner, pods]]),
    rollout,
    t,
    { drain: () => drain, grace },
    () => t.rolledOut(),
    () => t.settled(),
  );
}
