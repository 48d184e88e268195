// MSH418: a headless Service called over TCP, in sidecar mode. Each sidecar that holds it gets a listener
// per pod of it (istio/istio 1.28.0 pilot/pkg/networking/core/listener.go buildSidecarOutboundListeners:
// "generate a listener for each instance"), and istiod makes each of its endpoint changes a full push to
// them (pilot/pkg/serviceregistry/kube/controller/endpointslice.go, reason HeadlessEndpointUpdate): the
// sidecars' memory and the control plane's work grow with pods x sidecars. ztunnel holds one workload
// record per pod whatever the Service. The figures are the simulation's (mesh/config-size.ts).
import { configSize, heldServices, listenerMemory, proxyMemory, tcpCallees } from '../mesh/index.ts';
import type { Finding } from './finding.ts';
import { placementOf } from './placements.ts';
import type { Rule } from './rule.ts';

const MiB = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;

export const headlessTcpRule: Rule = {
  code: 'MSH418',
  check(ctx) {
    const s = ctx.scenario;
    // It places the cluster: `meshsim check` says it, not every run.
    if (!s || ctx.simulating || !ctx.compare.includes('sidecar')) return [];
    const tcp = tcpCallees(s);
    const headless = s.services.filter((x) => x.headless && tcp.has(x.key));
    if (headless.length === 0) return [];
    const placement = placementOf(s, 'sidecar');
    // Placed sidecars by owner, and what each owner's sidecars hold (asked once per owner).
    const sidecars = new Map<string, number>();
    for (const p of placement.pods)
      if (p.hasSidecar && p.node >= 0) sidecars.set(p.owner, (sidecars.get(p.owner) ?? 0) + 1);
    const views = new Map([...sidecars.keys()].map((o) => [o, heldServices(s, 'sidecar', o)]));
    const out: Finding[] = [];
    for (const svc of headless) {
      const pods = (placement.byOwner.get(svc.key) ?? []).filter((i) => placement.pods[i]!.node >= 0).length;
      const owners = [...sidecars.keys()].filter((o) => {
        const held = views.get(o)!;
        return held === null || held.has(svc.key);
      });
      const holders = owners.reduce((n, o) => n + sidecars.get(o)!, 0);
      if (holders === 0 || pods === 0) continue;
      // Each holder's listeners for this service alone (its own pod's address has none).
      const listeners = owners.reduce((n, o) => n + sidecars.get(o)! * (pods - (o === svc.key ? 1 : 0)), 0);
      const bytes = listenerMemory(s.mesh.sidecar.cost) * listeners;
      const first = owners[0]!;
      const sample = configSize(s, placement, 'sidecar', first);
      out.push({
        code: 'MSH418',
        severity: 'info',
        title: 'a headless Service called over TCP multiplies sidecar listeners and full pushes',
        object: ctx.locate('service', svc.key),
        message: `${svc.key} is headless and called over TCP: each of the ${holders} sidecars that hold it gets a listener per pod (${pods}), ${listeners} in all, about ${MiB(bytes)} of sidecar memory (${first}'s sidecar holds ${sample.listeners} listeners, ${MiB(proxyMemory(s.mesh.sidecar.cost, sample, 0))} before connections); every change of its endpoints is a full push to those ${holders} sidecars`,
        architectures: {
          sidecar: `listeners grow with its pods x the sidecars that hold it; a pod's start, failure or eviction pushes every one of them whole`,
          ambient: 'ztunnel holds one workload record per pod and takes its changes incrementally',
        },
        action:
          'scope the sidecars (a Sidecar resource with egress hosts) to the workloads that call it, or give TCP clients a ClusterIP Service',
        reference: 'https://istio.io/latest/docs/ops/configuration/traffic-management/traffic-routing/',
      });
    }
    return out;
  },
};
