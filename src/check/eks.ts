// MSH203: EKS security groups for pods in strict mode and ambient's SNAT-ed probes.
import type { Finding } from './finding.ts';
import { detectedNote } from './platform-text.ts';
import type { Rule } from './rule.ts';
import { ambientWorkloads } from './workload-modes.ts';

export const eksSecurityGroupRule: Rule = {
  code: 'MSH203',
  check(ctx) {
    const p = ctx.platform;
    const inv = ctx.inventory;
    if (p.cni !== 'aws-vpc-cni' || !inv) return [];
    if (p.awsNode.ENABLE_POD_ENI !== 'true') return [];
    // The VPC CNI's default enforcing mode is strict (aws/amazon-vpc-cni-k8s README, POD_SECURITY_GROUP_ENFORCING_MODE).
    const mode = p.awsNode.POD_SECURITY_GROUP_ENFORCING_MODE ?? 'strict';
    if (mode === 'standard') return [];
    const probed = ambientWorkloads(ctx).filter((w) =>
      w.probes.some((x) => x.handler === 'httpGet' || x.handler === 'tcpSocket' || x.handler === 'grpc'),
    );
    if (probed.length === 0) return [];
    const sgp = inv.of('SecurityGroupPolicy').length > 0;
    const f: Finding = {
      code: 'MSH203',
      severity: sgp ? 'error' : 'warning',
      title: 'EKS security groups for pods in strict mode drop ambient health probes',
      object: { kind: 'DaemonSet', name: 'aws-node', namespace: 'kube-system' },
      message:
        `ENABLE_POD_ENI=true, POD_SECURITY_GROUP_ENFORCING_MODE=${mode}${detectedNote(p)}; ` +
        `${sgp ? 'SecurityGroupPolicy objects are present' : 'no SecurityGroupPolicy in these manifests (pods without one are not affected)'}; ` +
        `probed ambient workloads: ${probed.map((w) => `${w.namespace}/${w.name}`).join(', ')}`,
      architectures: {
        sidecar: 'probes come from the node address: not affected',
        ambient:
          'probes are SNAT-ed to a link-local address, which strict mode routes through the trunk ENI and drops: pods never become ready',
      },
      action:
        'set POD_SECURITY_GROUP_ENFORCING_MODE=standard on aws-node, or use exec probes for pods with a SecurityGroupPolicy',
      reference:
        'https://istio.io/latest/docs/ambient/install/platform-prerequisites/#amazon-elastic-kubernetes-service-eks',
    };
    return [f];
  },
};
