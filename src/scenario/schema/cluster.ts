// Node pools and the network between them.
import { z } from 'zod';
import { CNIS, PLATFORMS } from '../cni.ts';
import {
  bool,
  cpu,
  dnsName,
  duration,
  durationWithin,
  int,
  intOrPercent,
  list,
  MAX,
  memory,
  num,
  obj,
  oneOf,
  str,
  stringMap,
} from './fields.ts';
import { nodeAffinity, taint, toleration } from './scheduling.ts';
import { kubernetesVersion } from './version.ts';
import { resourceSpec } from './workload.ts';

const DOMAIN_EXPECTED = 'a DNS domain of lowercase labels separated by dots (cluster.local)';

export const nodePool = obj({
  name: dnsName(),
  instanceType: str(),
  vcpu: cpu().optional(),
  memory: memory().optional(),
  pricePerHour: num(0, MAX.pricePerHour).optional(),
  count: int(1, MAX.nodes),
  zones: list(str(), 1).optional(),
  region: str().optional(),
  maxPods: int(1, MAX.podsPerNode).optional(),
  systemReserved: obj({ cpu: cpu().optional(), memory: memory().optional() }).optional(),
  spot: bool().default(false),
  labels: stringMap().optional(),
  taints: list(taint).optional(),
});

/**
 * A DaemonSet of the platform's own (log shippers, metrics exporters, CSI drivers): a pod on every node
 * its nodeSelector, nodeAffinity and tolerations allow, taking room and CPU there, meshed as its namespace
 * says unless it runs in the host's network.
 */
export const daemonSet = obj({
  name: dnsName(),
  namespace: dnsName().default('default'),
  resources: resourceSpec().optional(),
  /** What its containers use (absent: their requests). */
  usage: obj({ cpu: cpu().optional(), memory: memory().optional() }).optional(),
  hostNetwork: bool().optional(),
  updateStrategy: obj({
    type: oneOf(['RollingUpdate', 'OnDelete']).optional(),
    maxSurge: intOrPercent().optional(),
    maxUnavailable: intOrPercent().optional(),
  }).optional(),
  labels: stringMap().optional(),
  annotations: stringMap().optional(),
  nodeSelector: stringMap().optional(),
  nodeAffinity: nodeAffinity.optional(),
  tolerations: list(toleration).optional(),
});

export const cluster = obj({
  nodePools: list(nodePool, 1),
  daemonSets: list(daemonSet).optional(),
  kubernetesVersion: kubernetesVersion().optional(),
  /**
   * The cluster's DNS domain (the kubelet's clusterDomain, istiod's DOMAIN_SUFFIX): services are
   * `name.namespace.svc.<domain>`, which a Sidecar resource's egress hosts match. Absent: cluster.local.
   */
  domain: z
    .string({ error: DOMAIN_EXPECTED })
    .max(253, { error: DOMAIN_EXPECTED })
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, { error: DOMAIN_EXPECTED })
    .optional(),
  /**
   * The cluster's CNI and platform, with the CNI settings that decide ambient mode's interplay with it
   * (cilium-config keys such as kube-proxy-replacement, bpf-lb-sock-hostns-only, cni-exclusive; aws-node
   * environment such as ENABLE_POD_ENI, POD_SECURITY_GROUP_ENFORCING_MODE): read by `meshsim check`.
   */
  cni: obj({
    name: oneOf(CNIS),
    platform: oneOf(PLATFORMS).optional(),
    settings: stringMap().optional(),
  }).optional(),
  /**
   * kube-scheduler's KubeSchedulerConfiguration: percentageOfNodesToScore (0-100; 0 is its adaptive share,
   * 50 % less one point per 125 nodes, at least 5 % and 100 nodes). Absent: every node (an assumption).
   */
  scheduler: obj({ percentageOfNodesToScore: int(0, 100).optional() }).optional(),
  /**
   * The kubelet's KubeletConfiguration: cpuCFSQuota (default true: a container's CPU limit becomes a CFS
   * quota; false: limits are not enforced) and cpuCFSQuotaPeriod (default 100ms; another value needs the
   * CustomCPUCFSQuotaPeriod feature gate, and the kubelet accepts 1ms to 1s).
   */
  kubelet: obj({
    cpuCFSQuota: bool().optional(),
    cpuCFSQuotaPeriod: durationWithin(0.001, 1, 'from 1ms to 1s').optional(),
  }).optional(),
  network: obj({
    sameNode: duration().optional(),
    sameZone: duration().optional(),
    crossZone: duration().optional(),
  }).optional(),
});
