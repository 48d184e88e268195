// `migrate`: namespaces relabelled for ambient, their pods restarted once without a sidecar.
import { EndpointKind } from '../mesh/index.ts';
import type { DaemonSet, ScenarioEvent } from '../scenario/index.ts';
import { injectedDaemonSets, restartDaemonSets } from './daemon-set-restart.ts';
import type { DisruptionHost } from './host.ts';
import type { Tracker } from './record.ts';
import { rollDeployments } from './roll-deployments.ts';
import { deployments, none } from './workloads.ts';

export function migrate(
  host: DisruptionHost,
  ev: Extract<ScenarioEvent, { kind: 'migrate' }>,
  t: Tracker,
  daemonSets: readonly DaemonSet[] = [],
): void {
  const hasZtunnel = host.ztunnelOfNode.some((z) => z >= 0);
  const perNamespace = ev.namespaces.map((ns) =>
    deployments(host, (p) => p.namespace === ns && host.podKind[p.index] === EndpointKind.Sidecar),
  );
  // The platform's DaemonSets there lose their sidecars too: their controller replaces their pods as
  // their updateStrategy says, alongside the Deployments (ASSUMPTION: at the migration's start).
  const daemons = injectedDaemonSets(
    host,
    daemonSets.filter((ds) => ev.namespaces.includes(ds.namespace)),
  );
  const daemonPods = daemons.reduce((n, x) => n + x.pods.length, 0);
  const total = perNamespace.reduce((n, d) => n + [...d.values()].flat().length, 0) + daemonPods;
  if (total === 0 || !hasZtunnel) {
    none(
      t,
      !hasZtunnel
        ? 'ambient is not installed in this architecture (no ztunnel): nothing to migrate'
        : 'no pod carries a sidecar in these namespaces: nothing to migrate',
    );
    return;
  }
  t.rec.mechanism = `relabel ${ev.namespaces.join(', ')} for ambient and restart ${total} pods once (${ev.sequential ? 'one namespace after another' : 'all at once'}${daemonPods > 0 ? `; ${daemonPods} of them DaemonSet pods, as their update strategies say` : ''}); sidecar and ambient pods interoperate meanwhile`;
  const groups = ev.sequential ? perNamespace : [new Map(perNamespace.flatMap((d) => [...d.entries()]))];
  let unsettled = groups.length + (daemons.length > 0 ? 1 : 0);
  let unrolled = daemons.length > 0 ? 2 : 1;
  const rolled = () => {
    if (--unrolled === 0) t.rolledOut();
  };
  if (daemons.length > 0)
    restartDaemonSets(
      host,
      daemons,
      t,
      () => {
        rolled();
        if (--unsettled === 0) t.settled();
      },
      true,
    );
  const run = (i: number) => {
    if (i >= groups.length) {
      rolled();
      return;
    }
    rollDeployments(
      host,
      groups[i]!,
      ev.rollout,
      t,
      { newKind: EndpointKind.Captured },
      () => run(i + 1),
      () => {
        if (--unsettled === 0) t.settled();
      },
    );
  };
  run(0);
}
