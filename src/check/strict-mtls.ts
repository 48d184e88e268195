// MSH411: callers outside the mesh of a service whose PeerAuthentication is STRICT. Its sidecar or ztunnel
// refuses their plain text (scenario/peer-authentication.ts), so every such call fails, a classic step of a
// migration: STRICT switched on while a load generator or an unmeshed namespace still calls in.
import { allCalls, clientNamespace, strictMtls } from '../scenario/index.ts';
import type { Finding } from './finding.ts';
import type { Rule } from './rule.ts';

export const strictMtlsRule: Rule = {
  code: 'MSH411',
  check(ctx) {
    const s = ctx.scenario;
    if (!s || !ctx.compare.some((a) => a !== 'none')) return [];
    const mode = (ns: string) => s.namespaces.find((n) => n.name === ns)?.mode ?? 'none';
    const meshed = (key: string) => {
      const svc = s.services.find((x) => x.key === key);
      return svc?.inject && mode(svc.namespace) !== 'none';
    };
    const callers = new Map<string, string[]>();
    const add = (to: string, who: string) => callers.set(to, [...(callers.get(to) ?? []), who]);
    for (const svc of s.services)
      if (!meshed(svc.key)) for (const c of allCalls(svc)) add(c.to, `service ${svc.key}`);
    for (const ep of s.traffic) {
      const plain =
        ep.via !== 'ingress' &&
        (ep.clientMode === 'none' || (ep.clientMode === 'same-as-target' && !meshed(ep.to)));
      if (plain) add(ep.to, `entry point ${ep.name} (clients in ${clientNamespace(ep)})`);
    }
    const out: Finding[] = [];
    for (const [to, who] of callers) {
      const callee = s.services.find((x) => x.key === to);
      if (!callee || !meshed(to) || !strictMtls(s, callee)) continue;
      out.push({
        code: 'MSH411',
        severity: 'warning',
        title: 'callers outside the mesh of a STRICT mTLS service',
        object: ctx.locate('service', callee.key),
        message: `${callee.key}'s PeerAuthentication is STRICT and ${who.join(', ')} call it in plain text`,
        architectures: {
          none: 'no mesh: served',
          sidecar: `${callee.key}'s sidecars refuse the connections: every such call fails as a reset`,
          ambient: `the ztunnels of ${callee.key}'s nodes deny them: every such call fails as a reset`,
        },
        action:
          'mesh the callers (their namespace, or the entry point clientMode), send them through the ingress gateway, or keep the service PERMISSIVE until they are',
        reference:
          'istio/istio 1.28.0 pilot/pkg/networking/core/filterchain_options.go (STRICT: TLS filter chains only), pilot/pkg/serviceregistry/kube/controller/ambient/authorization.go (ztunnel static strict policy); istio.io/latest/docs/tasks/security/authentication/mtls-migration/',
      });
    }
    return out;
  },
};
