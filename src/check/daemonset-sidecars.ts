// MSH416: a platform DaemonSet whose pods get sidecars. A log shipper or exporter in an injected namespace
// carries an Envoy on every node it runs on: its request on each node, one more proxy istiod serves per
// node, and a restart of every one of its pods at each sidecar upgrade, node by node (events/
// daemon-set-restart.ts); often not meant, since such agents seldom need the mesh.
import { placementOf } from './placements.ts';
import type { Rule } from './rule.ts';

const cores = (c: number) => `${Math.round(c * 1000)}m`;
const MiB = (b: number) => `${Math.round(b / 2 ** 20)}Mi`;

export const daemonSetSidecarsRule: Rule = {
  code: 'MSH416',
  check(ctx) {
    const s = ctx.scenario;
    // It places the cluster: `meshsim check` says it, not every run.
    if (!s?.cluster.daemonSets || ctx.simulating || !ctx.compare.includes('sidecar')) return [];
    const placement = placementOf(s, 'sidecar');
    return s.cluster.daemonSets.flatMap((ds) => {
      const pods = placement.pods.filter((p) => p.owner === ds.key && p.kind === 'daemon' && p.hasSidecar);
      if (pods.length === 0) return [];
      const sidecar = pods[0]!.requests.sidecar ?? { cpu: 0, memory: 0 };
      const { type, maxUnavailable } = ds.updateStrategy;
      return [
        {
          code: 'MSH416',
          severity: 'info' as const,
          title: 'a DaemonSet carries a sidecar on every node',
          object: ctx.locate('daemonSet', ds.key),
          message: `${pods.length} pods of ${ds.key} get a sidecar (namespace ${ds.namespace} injects them in sidecar mode): ${cores(sidecar.cpu)} CPU and ${MiB(sidecar.memory)} requested on each node (${cores(sidecar.cpu * pods.length)}, ${MiB(sidecar.memory * pods.length)} in all), ${pods.length} more proxies istiod serves`,
          architectures: {
            sidecar: `each sidecar upgrade replaces every one of its pods (${type === 'OnDelete' ? 'OnDelete: only when deleted' : maxUnavailable.percent ? `${maxUnavailable.value}% of the nodes at a time` : `${maxUnavailable.value} node${maxUnavailable.value === 1 ? '' : 's'} at a time`})`,
            ambient:
              'ztunnel captures its pods: no container of its own, only its per-pod share of ztunnel memory',
          },
          action:
            'if it serves and sends no traffic that needs the mesh, add sidecar.istio.io/inject: "false" to its pod template (or run it in the host network); else count its sidecars in the comparison',
          reference:
            'https://istio.io/latest/docs/setup/additional-setup/sidecar-injection/#controlling-the-injection-policy',
        },
      ];
    });
  },
};
