// MSH411: callers outside the mesh of a service whose PeerAuthentication is STRICT. Its sidecar or ztunnel
// refuses their plain text (scenario/peer-authentication.ts), so every such call fails, a classic step of a
// migration: STRICT switched on while a load generator or an unmeshed namespace still calls in. Under the
// sidecar architecture a pod with sidecar.istio.io/inject "false" is outside the mesh; under ambient it is
// captured by ztunnel all the same (only its namespace's label decides).
import { allCalls, clientNamespace, type Scenario, type Service, strictMtls } from '../scenario/index.ts';
import type { Finding } from './finding.ts';
import type { Rule } from './rule.ts';

type Mesh = 'sidecar' | 'ambient';

function inMesh(s: Scenario, svc: Service, arch: Mesh): boolean {
  const labelled = s.namespaces.find((n) => n.name === svc.namespace)?.mode ?? 'none';
  return labelled !== 'none' && (arch === 'ambient' || svc.inject);
}

export const strictMtlsRule: Rule = {
  code: 'MSH411',
  check(ctx) {
    const s = ctx.scenario;
    if (!s || !ctx.compare.some((a) => a !== 'none')) return [];
    const out: Finding[] = [];
    for (const callee of s.services) {
      if (!strictMtls(s, callee)) continue;
      const refused: Record<Mesh, string[]> = { sidecar: [], ambient: [] };
      for (const arch of ['sidecar', 'ambient'] as const) {
        if (!inMesh(s, callee, arch)) continue;
        for (const svc of s.services)
          if (!inMesh(s, svc, arch) && allCalls(svc).some((c) => c.to === callee.key))
            refused[arch].push(`service ${svc.key}`);
        for (const ep of s.traffic) {
          const target = s.services.find((x) => x.key === ep.to);
          const plain =
            ep.via !== 'ingress' &&
            ep.to === callee.key &&
            (ep.clientMode === 'none' ||
              (ep.clientMode === 'same-as-target' && target !== undefined && !inMesh(s, target, arch)));
          if (plain) refused[arch].push(`entry point ${ep.name} (clients in ${clientNamespace(ep)})`);
        }
      }
      const who = [...new Set([...refused.sidecar, ...refused.ambient])];
      if (who.length === 0) continue;
      const says = (arch: Mesh, proxy: string) =>
        refused[arch].length > 0
          ? `${proxy} refuse the plain text of ${refused[arch].join(', ')}: every such call fails as a reset`
          : 'its callers are in the mesh: served';
      out.push({
        code: 'MSH411',
        severity: 'warning',
        title: 'callers outside the mesh of a STRICT mTLS service',
        object: ctx.locate('service', callee.key),
        message: `${callee.key}'s PeerAuthentication is STRICT and ${who.join(', ')} call it in plain text`,
        architectures: {
          none: 'no mesh: served',
          sidecar: says('sidecar', `${callee.key}'s sidecars`),
          ambient: says('ambient', `the ztunnels of ${callee.key}'s nodes`),
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
