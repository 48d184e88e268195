// MSH417: an HPA on the whole pod's CPU (a Resource metric) of a service whose pods get sidecars. The
// controller divides the pod's summed CPU by its summed requests (kubernetes v1.31
// pkg/controller/podautoscaler/replica_calculator.go GetResourceReplicas, calculatePodRequests), so the
// sidecar's CPU per request raises the utilisation it reads and its request lowers it: at the same
// application load the sidecar and ambient runs settle on different replica counts for the mesh's sake,
// which the comparison then reports as the mesh's cost. A ContainerResource metric on the application
// container (autoscaling/v2, GA in Kubernetes 1.30) scales on the application alone in both.
import type { Finding } from './finding.ts';
import type { Rule } from './rule.ts';
import { serviceModes } from './scenario-modes.ts';

const cores = (c: number) => `${Math.round(c * 1000)}m`;

export const hpaSidecarRule: Rule = {
  code: 'MSH417',
  check(ctx) {
    const s = ctx.scenario;
    if (!s) return [];
    const out: Finding[] = [];
    for (const svc of s.services) {
      const a = svc.autoscaling;
      if (!a || a.container || !serviceModes(ctx, s, svc.key).has('sidecar')) continue;
      const app = svc.resources.requests.cpu;
      const sidecar = (svc.sidecarResources ?? s.mesh.sidecar.resources).requests.cpu;
      const share = Math.round((100 * sidecar) / (app + sidecar));
      out.push({
        code: 'MSH417',
        severity: 'info',
        title: "an HPA on the pod's CPU counts the sidecar",
        object: ctx.locate('service', svc.key),
        message: `${svc.key} scales on its pods' CPU at ${a.targetCPUUtilization} %: with a sidecar the pod requests ${cores(app + sidecar)}, of which the sidecar ${cores(sidecar)} (${share} %)`,
        architectures: {
          sidecar:
            "the HPA reads (application + sidecar CPU) / (application + sidecar requests): the sidecar's CPU per request raises it, its request lowers it, so the replica count moves with the proxy",
          ambient: 'its pods have no proxy container: the HPA reads the application alone',
        },
        action:
          'scale on the application container (autoscaling/v2 ContainerResource, Kubernetes 1.30+; `autoscaling.container: application` here) so that both architectures scale on the same signal, or size the target with the sidecar in mind',
        reference:
          'https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#container-resource-metrics',
      });
    }
    return out;
  },
};
