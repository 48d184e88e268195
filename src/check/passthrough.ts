// MSH412: calls a sidecar is not given the callee of (its exportTo, mesh.defaultServiceExportTo or the
// caller's Sidecar egress hosts leave it out). Istio sends them through the sidecar's PassthroughCluster,
// in plain text and past every VirtualService and DestinationRule, or refuses them under REGISTRY_ONLY
// (scenario/passthrough.ts): rarely what the Sidecar resource's author meant.
import { allCalls, Passthrough, passthroughOf, strictMtls } from '../scenario/index.ts';
import type { Finding } from './finding.ts';
import type { Rule } from './rule.ts';

export const passthroughRule: Rule = {
  code: 'MSH412',
  check(ctx) {
    const s = ctx.scenario;
    if (!s || !ctx.compare.some((a) => a === 'sidecar' || a === 'as-labelled')) return [];
    const meshed = new Set(s.namespaces.filter((n) => n.mode !== 'none').map((n) => n.name));
    const out: Finding[] = [];
    for (const svc of s.services) {
      if (!svc.inject || !meshed.has(svc.namespace)) continue;
      const hidden = new Map<string, number>();
      for (const c of allCalls(svc)) {
        const callee = s.services.find((x) => x.key === c.to);
        if (!callee || hidden.has(callee.key)) continue;
        const mode = passthroughOf(s, svc.namespace, svc.sidecarScope, svc.outboundTrafficPolicy, callee);
        if (mode !== Passthrough.None) hidden.set(callee.key, mode);
      }
      if (hidden.size === 0) continue;
      const refused = [...hidden.values()].some((m) => m === Passthrough.RegistryOnly);
      // Plain text through the PassthroughCluster meets a STRICT callee's refusal.
      const strict = refused
        ? []
        : [...hidden.keys()].filter((key) => strictMtls(s, s.services.find((x) => x.key === key)!));
      out.push({
        code: 'MSH412',
        severity: 'warning',
        title: 'sidecars not given services their workload calls',
        object: ctx.locate('service', svc.key),
        message: `${svc.key}'s sidecars are not given ${[...hidden.keys()].join(', ')} (exportTo or Sidecar egress hosts) and ${refused ? 'refuse its calls to them (REGISTRY_ONLY)' : 'send its calls to them through the PassthroughCluster'}`,
        architectures: {
          sidecar: refused
            ? 'each such call fails at the caller (502, or a closed TCP connection)'
            : `plain text to the Service address (kube-proxy picks the endpoint), no mTLS, retries, VirtualService or DestinationRule; ${strict.length > 0 ? `${strict.join(', ')} ${strict.length > 1 ? 'are' : 'is'} STRICT and refuse${strict.length > 1 ? '' : 's'} every such call` : 'a STRICT callee would refuse them'}`,
          ambient: 'ztunnel is given every workload: the calls take the mesh route',
        },
        action: `export the callees to ${svc.namespace} and add them to the Sidecar resource's egress hosts (or the scenario's sidecarScope)`,
        reference:
          'istio/istio 1.28.0 pilot/pkg/networking/core/httproute.go buildCatchAllVirtualHost, listener_builder.go buildOutboundCatchAllNetworkFilterChains; istio.io/latest/docs/reference/config/networking/sidecar/',
      });
    }
    return out;
  },
};
