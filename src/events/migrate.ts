// `migrate`: namespaces relabelled for ambient, their pods restarted once without a sidecar.
import { EndpointKind } from '../mesh/index.ts';
import type { ScenarioEvent } from '../scenario/index.ts';
import type { DisruptionHost } from './host.ts';
import type { Tracker } from './record.ts';
import { rollDeployments } from './roll-deployments.ts';
import { deployments, none } from './workloads.ts';

export function migrate(
  host: DisruptionHost,
  ev: Extract<ScenarioEvent, { kind: 'migrate' }>,
  t: Tracker,
): void {
  const hasZtunnel = host.ztunnelOfNode.some((z) => z >= 0);
  const perNamespace = ev.namespaces.map((ns) =>
    deployments(host, (p) => p.namespace === ns && host.podKind[p.index] === EndpointKind.Sidecar),
  );
  const total = perNamespace.reduce((n, d) => n + [...d.values()].flat().length, 0);
  if (total === 0 || !hasZtunnel) {
    none(
      t,
      !hasZtunnel
        ? 'ambient is not installed in this architecture (no ztunnel): nothing to migrate'
        : 'no pod carries a sidecar in these namespaces: nothing to migrate',
    );
    return;
  }
  t.rec.mechanism = `relabel ${ev.namespaces.join(', ')} for ambient and restart ${total} pods once (${ev.sequential ? 'one namespace after another' : 'all at once'}); sidecar and ambient pods interoperate meanwhile`;
  const groups = ev.sequential ? perNamespace : [new Map(perNamespace.flatMap((d) => [...d.entries()]))];
  let unsettled = groups.length;
  const run = (i: number) => {
    if (i >= groups.length) {
      t.rolledOut();
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
