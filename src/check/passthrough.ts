// MSH412: calls a sidecar is not given the callee of (its exportTo, mesh.defaultServiceExportTo or the
// caller's Sidecar egress hosts leave it out). Istio sends them through the sidecar's PassthroughCluster,
// in plain text and past every VirtualService and DestinationRule, or refuses them under REGISTRY_ONLY
// (scenario/passthrough.ts): rarely what the Sidecar resource's author meant. Callers are services with
// sidecars and entry points whose load generators carry them (scoped by mesh.sidecar.scope).
import { clientDataplane, resolveModes, serviceDataplane } from '../cluster/index.ts';
import {
  allCalls,
  clientNamespace,
  type OutboundTrafficPolicy,
  Passthrough,
  passthroughOf,
  type Scenario,
  type Service,
  type SidecarScope,
  strictMtls,
} from '../scenario/index.ts';
import type { CheckContext } from './context.ts';
import type { Finding, FindingObject } from './finding.ts';
import type { Rule } from './rule.ts';

interface Caller {
  object: FindingObject;
  who: string;
  namespace: string;
  scope: SidecarScope;
  policy: OutboundTrafficPolicy | undefined;
  callees: string[];
}

function finding(s: Scenario, byKey: ReadonlyMap<string, Service>, c: Caller): Finding | null {
  const hidden = new Map<string, number>();
  for (const key of c.callees) {
    const callee = byKey.get(key);
    if (!callee || hidden.has(key)) continue;
    const mode = passthroughOf(s, c.namespace, c.scope, c.policy, callee);
    if (mode !== Passthrough.None) hidden.set(key, mode);
  }
  if (hidden.size === 0) return null;
  const refused = [...hidden.values()].some((m) => m === Passthrough.RegistryOnly);
  // Plain text through the PassthroughCluster meets a STRICT callee's refusal.
  const strict = refused ? [] : [...hidden.keys()].filter((key) => strictMtls(s, byKey.get(key)!));
  return {
    code: 'MSH412',
    severity: 'warning',
    title: 'sidecars not given services their workload calls',
    object: c.object,
    message: `${c.who} are not given ${[...hidden.keys()].join(', ')} (exportTo or Sidecar egress hosts) and ${refused ? 'refuse its calls to them (REGISTRY_ONLY)' : 'send its calls to them through the PassthroughCluster'}`,
    architectures: {
      sidecar: refused
        ? 'each such call fails at the caller (502, or a closed TCP connection)'
        : `plain text to the Service address (kube-proxy picks the endpoint), no mTLS, retries, VirtualService or DestinationRule; ${strict.length > 0 ? `${strict.join(', ')} ${strict.length > 1 ? 'are' : 'is'} STRICT and refuse${strict.length > 1 ? '' : 's'} every such call` : 'a STRICT callee would refuse them'}`,
      ambient: 'ztunnel is given every workload: the calls take the mesh route',
    },
    action: `export the callees to ${c.namespace} and add them to the Sidecar resource's egress hosts (or the scenario's sidecarScope)`,
    reference:
      'istio/istio 1.28.0 pilot/pkg/networking/core/httproute.go buildCatchAllVirtualHost, listener_builder.go buildOutboundCatchAllNetworkFilterChains; istio.io/latest/docs/reference/config/networking/sidecar/',
  };
}

/** The callers that carry sidecars under the sidecar architecture, as the simulator places them. */
function callers(s: Scenario, ctx: CheckContext): Caller[] {
  const modes = resolveModes(s, 'sidecar');
  const out: Caller[] = [];
  for (const svc of s.services)
    if (serviceDataplane(svc, 0, 'sidecar', modes).hasSidecar)
      out.push({
        object: ctx.locate('service', svc.key),
        who: `${svc.key}'s sidecars`,
        namespace: svc.namespace,
        scope: svc.sidecarScope,
        policy: svc.outboundTrafficPolicy,
        callees: allCalls(svc).map((c) => c.to),
      });
  for (const ep of s.traffic)
    if (ep.via !== 'ingress' && clientDataplane(s, ep, 'sidecar', modes).hasSidecar)
      out.push({
        object: ctx.locate('traffic', ep.name),
        who: `entry point ${ep.name}'s load-generator sidecars (namespace ${clientNamespace(ep)})`,
        namespace: clientNamespace(ep),
        scope: s.mesh.sidecar.scope,
        policy: undefined,
        callees: [ep.to],
      });
  return out;
}

export const passthroughRule: Rule = {
  code: 'MSH412',
  check(ctx) {
    const s = ctx.scenario;
    if (!s || !ctx.compare.some((a) => a === 'sidecar' || a === 'as-labelled')) return [];
    const byKey = new Map(s.services.map((x) => [x.key, x]));
    return callers(s, ctx)
      .map((c) => finding(s, byKey, c))
      .filter((f): f is Finding => f !== null);
  },
};
