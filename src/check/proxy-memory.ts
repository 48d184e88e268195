// MSH409: proxies whose configuration alone needs more memory than their container's limit. Each is
// OOM-killed as it loads its configuration and again after every restart (CrashLoopBackOff), so its pod
// is never ready; the simulation shows the same (simulate/world/memory.ts). Unscoped sidecars in a mesh
// of thousands of services meet it first: each holds every cluster and endpoint of the mesh.

import { crashLoopsOf, describeCrashLoop } from '../simulate/index.ts';
import type { Finding } from './finding.ts';
import { placementOf } from './placements.ts';
import type { Rule } from './rule.ts';

export const proxyMemoryRule: Rule = {
  code: 'MSH409',
  check(ctx) {
    const s = ctx.scenario;
    // Before a run its results say it (placement.crashLoops), without placing the cluster twice more.
    if (!s || ctx.simulating) return [];
    const out: Finding[] = [];
    const seen = new Set<string>();
    for (const arch of ctx.compare) {
      if (arch === 'none') continue;
      for (const x of crashLoopsOf(s, placementOf(s, arch))) {
        // The same proxies in two architectures (e.g. waypoints) are one finding.
        const text = describeCrashLoop(x);
        if (seen.has(text)) continue;
        seen.add(text);
        out.push({
          code: 'MSH409',
          severity: 'error',
          title: `${x.component} memory limit below its configuration`,
          object: { kind: 'Mesh', name: x.component },
          message: `${text.replace(/^crash loop: /, '')} (${arch}): OOM-killed as they load it and at every restart, they never become ready`,
          architectures:
            x.component === 'sidecar'
              ? { sidecar: 'every pod with such a sidecar is never ready and its own calls are refused' }
              : { ambient: `nothing passes through the ${x.component}s concerned` },
          action:
            x.component === 'sidecar'
              ? 'scope what each sidecar sees (a Sidecar resource, exportTo or discoverySelectors; mesh.sidecar.scope: callees or egress hosts such as ["./*", "istio-system/*"], networking.istio.io/exportTo on services) or raise its memory limit'
              : `raise the ${x.component} memory limit`,
          reference:
            'https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/ (a container above its memory limit is killed); https://istio.io/latest/docs/ops/configuration/mesh/configuration-scoping/; mesh.*.cost memory figures in this scenario',
        });
      }
    }
    return out;
  },
};
