// MSH411: callers outside the mesh of a service whose PeerAuthentication is STRICT. Its sidecar or ztunnel
// refuses their plain text (scenario/peer-authentication.ts), so every such call fails, a classic step of a
// migration: STRICT switched on while a load generator or an unmeshed namespace still calls in. Under the
// sidecar architecture a pod with sidecar.istio.io/inject "false" is outside the mesh; under ambient it is
// captured by ztunnel all the same (only its namespace's label decides).
import { clientDataplane, resolveModes, serviceDataplane } from '../cluster/index.ts';
import {
  allCalls,
  clientNamespace,
  type DataplaneMode,
  type Scenario,
  strictMtls,
} from '../scenario/index.ts';
import type { Finding } from './finding.ts';
import type { Rule } from './rule.ts';

type Mesh = 'sidecar' | 'ambient';

/**
 * The callers outside the mesh of each service under `arch`, by the callee's key, as the simulator places
 * them (cluster/modes.ts): services whose pods carry no sidecar and are not captured, and direct entry
 * points whose load generators are neither.
 */
function plainCallers(
  s: Scenario,
  arch: Mesh,
  modes: ReadonlyMap<string, DataplaneMode>,
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (to: string, who: string) => {
    const list = out.get(to);
    if (list) list.push(who);
    else out.set(to, [who]);
  };
  for (const svc of s.services) {
    const d = serviceDataplane(svc, 0, arch, modes);
    if (!d.hasSidecar && !d.captured) for (const c of allCalls(svc)) add(c.to, `service ${svc.key}`);
  }
  for (const ep of s.traffic) {
    const d = clientDataplane(s, ep, arch, modes);
    if (ep.via !== 'ingress' && !d.hasSidecar && !d.captured)
      add(ep.to, `entry point ${ep.name} (clients in ${clientNamespace(ep)})`);
  }
  return out;
}

export const strictMtlsRule: Rule = {
  code: 'MSH411',
  check(ctx) {
    const s = ctx.scenario;
    if (!s || !ctx.compare.some((a) => a !== 'none')) return [];
    const strict = s.services.filter((x) => strictMtls(s, x));
    if (strict.length === 0) return [];
    const modes = { sidecar: resolveModes(s, 'sidecar'), ambient: resolveModes(s, 'ambient') };
    const plain = {
      sidecar: plainCallers(s, 'sidecar', modes.sidecar),
      ambient: plainCallers(s, 'ambient', modes.ambient),
    };
    const out: Finding[] = [];
    for (const callee of strict) {
      const refused: Record<Mesh, string[]> = { sidecar: [], ambient: [] };
      for (const arch of ['sidecar', 'ambient'] as const) {
        const d = serviceDataplane(callee, 0, arch, modes[arch]);
        // A callee outside the mesh enforces nothing; a caller may call it more than once.
        if (d.hasSidecar || d.captured) refused[arch] = [...new Set(plain[arch].get(callee.key) ?? [])];
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
