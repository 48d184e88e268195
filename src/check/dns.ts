// MSH205: ztunnel's DNS capture, and who answers when a node-local cache or the CNI also captures DNS.
import { arr, obj, objs } from '../import/index.ts';
import { versionAtLeast } from './platform.ts';
import type { Rule } from './rule.ts';
import { meshInUse } from './scenario-modes.ts';

/**
 * DNS proxying is on by default for ambient from Istio 1.25 in ambient-profile installs
 * (istio.io/latest/news/releases/1.25.x/announcing-1.25/) and for every ambient workload from 1.29
 * (istio.io/latest/news/releases/1.29.x/announcing-1.29/upgrade-notes/, "Ambient DNS capture enabled by default").
 */
export const DNS_CAPTURE_SINCE = '1.25';

export const dnsRule: Rule = {
  code: 'MSH205',
  check(ctx) {
    if (!meshInUse(ctx).has('ambient')) return [];
    const v = ctx.platform.istioVersion;
    if (v !== undefined && !versionAtLeast(v, DNS_CAPTURE_SINCE)) return [];
    const inv = ctx.inventory;
    const nodeLocal = inv?.workloads.find((w) => w.kind === 'DaemonSet' && /node-?local-?dns/.test(w.name));
    const fqdn = inv
      ? [...inv.of('CiliumNetworkPolicy'), ...inv.of('CiliumClusterwideNetworkPolicy')].filter((m) =>
          objs(obj(m.body.spec).egress).some((e) => arr(e.toFQDNs).length > 0),
        )
      : [];
    const others = [
      ...(nodeLocal ? [`NodeLocal DNSCache (${nodeLocal.namespace}/${nodeLocal.name})`] : []),
      ...(fqdn.length > 0
        ? [`Cilium's DNS proxy for toFQDNs policies (${fqdn.map((m) => m.name).join(', ')})`]
        : []),
    ];
    const ver =
      v === undefined
        ? `Istio ${DNS_CAPTURE_SINCE} or later (assumed: no version in the input)`
        : `Istio ${v}`;
    return [
      {
        code: 'MSH205',
        severity: others.length > 0 ? 'warning' : 'info',
        title: 'ztunnel captures DNS of ambient pods',
        object: nodeLocal
          ? {
              kind: 'DaemonSet',
              name: nodeLocal.name,
              namespace: nodeLocal.namespace,
              file: nodeLocal.manifest.source.file,
              line: nodeLocal.manifest.source.line,
            }
          : { kind: 'Mesh', name: 'ambient' },
        message:
          `${ver} captures ambient pods' DNS (port 53) in the pod's network namespace and answers Service and ServiceEntry names itself` +
          (others.length > 0 ? `; also capturing DNS here: ${others.join(', ')}` : ''),
        architectures: {
          sidecar:
            'DNS capture is off by default (ISTIO_META_DNS_CAPTURE): queries go to the cluster DNS as before',
          ambient:
            others.length > 0
              ? 'ztunnel answers first (its redirect is inside the pod, before the node); only the names it does not know are forwarded, so the node-local cache and the CNI DNS proxy see only those: their cache hit rates and per-pod DNS logs drop, and a toFQDNs policy learns addresses only for forwarded names (ASSUMPTION: from the in-pod redirection design, no Istio page describes this combination)'
              : 'ztunnel answers cluster names; upstream DNS load drops; DNS shows up in ztunnel, not in the cluster DNS logs',
        },
        action:
          others.length > 0
            ? 'test name resolution and FQDN policies with ambient on a canary namespace, or opt affected workloads out of DNS capture (see the 1.25 upgrade notes)'
            : 'nothing, unless tooling relies on cluster DNS logs for these pods',
        reference:
          'https://istio.io/latest/news/releases/1.25.x/announcing-1.25/upgrade-notes/#ambient-mode-dns-capture-on-by-default ; https://istio.io/latest/docs/ambient/architecture/traffic-redirection/',
      },
    ];
  },
};
