// How the kubelet turns CPU requests and limits into the CFS weights and quotas the node's scheduler
// enforces, so the node processor (sim/processor.ts) can weigh and cap each container as Linux does.
//
// Source: kubernetes/kubernetes pkg/kubelet/cm/helpers_linux.go (MilliCPUToShares, MilliCPUToQuota,
// ResourceConfigForPod; constants MinShares 2, MaxShares 262144, SharesPerCPU 1024, QuotaPeriod 100000 us,
// MinQuotaPeriod 1000 us), read in the version that imports github.com/opencontainers/cgroups and
// supports PodLevelResources (v1.33 and later); the arithmetic is the same since v1.10 apart from the
// MaxShares clamp. Container level: pkg/kubelet/kuberuntime/kuberuntime_container_linux.go
// (calculateLinuxResources: a container with a limit and no request is weighed by its limit).
// QoS: pkg/apis/core/v1/helper/qos/qos.go GetPodQOS.
import { DEFAULT_KUBELET } from '../scenario/index.ts';

export const MIN_SHARES = 2;
export const MAX_SHARES = 262_144;
export const SHARES_PER_CPU = 1024;
/**
 * cfs_period_us the kubelet sets (100 ms, KubeletConfiguration cpuCFSQuotaPeriod: DEFAULT_KUBELET) unless
 * the CustomCPUCFSQuotaPeriod feature gate lets the scenario change it.
 */
export const QUOTA_PERIOD_US = Math.round(DEFAULT_KUBELET.cpuCFSQuotaPeriod * 1e6);
/** The kernel refuses a quota under 1 ms, so the kubelet raises smaller ones to it. */
export const MIN_QUOTA_US = 1_000;

export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

/** A container's resources in cores and bytes; an absent field is not set in the pod spec. */
export interface ContainerResources {
  cpuRequest?: number;
  cpuLimit?: number;
  memoryRequest?: number;
  memoryLimit?: number;
}

/** What the node's scheduler sees of one container or pod: a weight and, when limited, a cap. */
export interface CfsConfig {
  /** cpu.shares (cgroup v1 units, 2..262144). */
  shares: number;
  /** cfs_quota_us per QUOTA_PERIOD_US, or null when unlimited. */
  quotaUs: number | null;
  /** Cores the quota allows over a period (quotaUs / period), Infinity when unlimited. */
  limitCores: number;
}

/** Kubernetes quantities carry milli-units; the kubelet's arithmetic is integer on them. */
const toMilli = (cores: number): number => Math.ceil(cores * 1000 - 1e-9);

/** MilliCPUToShares: 1024 per core, integer division, at least 2 (also for no request), at most 262144. */
export function milliCpuToShares(milliCpu: number): number {
  if (milliCpu === 0) return MIN_SHARES;
  const shares = Math.floor((milliCpu * SHARES_PER_CPU) / 1000);
  return Math.min(MAX_SHARES, Math.max(MIN_SHARES, shares));
}

/** MilliCPUToQuota: milliCpu x period / 1000 microseconds, at least 1 ms; 0 (no limit) gives no quota. */
export function milliCpuToQuota(milliCpu: number, periodUs = QUOTA_PERIOD_US): number | null {
  if (milliCpu === 0) return null;
  return Math.max(MIN_QUOTA_US, Math.floor((milliCpu * periodUs) / 1000));
}

function cfs(shares: number, quotaUs: number | null, periodUs = QUOTA_PERIOD_US): CfsConfig {
  return { shares, quotaUs, limitCores: quotaUs === null ? Number.POSITIVE_INFINITY : quotaUs / periodUs };
}

/** The request the API server stores: a limit with no request defaults the request to the limit. */
function effectiveRequests(c: ContainerResources): { cpu: number; memory: number } {
  return { cpu: c.cpuRequest ?? c.cpuLimit ?? 0, memory: c.memoryRequest ?? c.memoryLimit ?? 0 };
}

/**
 * GetPodQOS: BestEffort when no container sets any CPU or memory request or limit; Guaranteed when every
 * container has CPU and memory limits equal to its requests; Burstable otherwise.
 */
export function qosClass(containers: readonly ContainerResources[]): QosClass {
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const req = effectiveRequests(c);
    if (req.cpu > 0 || req.memory > 0 || (c.cpuLimit ?? 0) > 0 || (c.memoryLimit ?? 0) > 0) any = true;
    const cpuOk = c.cpuLimit !== undefined && c.cpuLimit > 0 && toMilli(req.cpu) === toMilli(c.cpuLimit);
    const memOk = c.memoryLimit !== undefined && c.memoryLimit > 0 && req.memory === c.memoryLimit;
    if (!(cpuOk && memOk)) guaranteed = false;
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** A container's own cgroup: shares from its request (or its limit when it has no request), quota from its limit. */
export function containerCfs(c: ContainerResources, periodUs = QUOTA_PERIOD_US): CfsConfig {
  const shares = milliCpuToShares(toMilli(effectiveRequests(c).cpu));
  return cfs(shares, milliCpuToQuota(c.cpuLimit === undefined ? 0 : toMilli(c.cpuLimit), periodUs), periodUs);
}

/**
 * ResourceConfigForPod: the pod cgroup's shares from the sum of requests (the minimum for BestEffort); a
 * quota from the sum of limits only when every container declares a CPU limit (always for Guaranteed).
 */
export function podCfs(containers: readonly ContainerResources[], periodUs = QUOTA_PERIOD_US): CfsConfig {
  const qos = qosClass(containers);
  if (qos === 'BestEffort') return cfs(MIN_SHARES, null, periodUs);
  let requests = 0;
  let limits = 0;
  let allLimited = true;
  for (const c of containers) {
    requests += toMilli(effectiveRequests(c).cpu);
    if (c.cpuLimit === undefined || c.cpuLimit <= 0) allLimited = false;
    else limits += toMilli(c.cpuLimit);
  }
  const quota = allLimited ? milliCpuToQuota(limits, periodUs) : null;
  return cfs(milliCpuToShares(requests), quota, periodUs);
}

/**
 * cgroup v2 has cpu.weight (1..10000) instead of cpu.shares; the runtime converts. 'linear' is runc's
 * long-standing 1 + (shares - 2) x 9999 / 262142 (integer arithmetic), which maps 1024 shares to 39 and
 * 102 to 4; 'quadratic' is the newer opencontainers/cgroups ConvertCPUSharesToCgroupV2Value (crun issue
 * 1721), a quadratic in log2(shares) that maps 2 -> 1, 1024 -> 100 (the v2 default) and 262144 -> 10000.
 * Sources: opencontainers/runc libcontainer/cgroups/utils.go; opencontainers/cgroups utils.go (main, 2025).
 */
export function sharesToWeight(shares: number, conversion: 'linear' | 'quadratic'): number {
  if (shares <= 0) return 0;
  if (conversion === 'linear') return 1 + Math.floor(((shares - 2) * 9999) / 262_142);
  if (shares <= 2) return 1;
  if (shares >= MAX_SHARES) return 10_000;
  const l = Math.log2(shares);
  const exponent = (l * l + 125 * l) / 612 - 7 / 34;
  return Math.ceil(10 ** exponent);
}

export interface NodePod {
  containers: readonly ContainerResources[];
}

/**
 * Flat weights for the containers of the pods on one node, approximating the cgroup tree the kubelet builds
 * (kubepods -> burstable / besteffort -> pod -> container; Guaranteed pods directly under kubepods):
 * a container's weight is its share of its pod's shares, and all BestEffort pods together hold the
 * besteffort cgroup's 2 shares (pkg/kubelet/cm/qos_container_manager_linux.go setCPUCgroupConfig; the
 * burstable cgroup's shares are the sum of its pods' requests, so burstable pods keep their own weight).
 * ASSUMPTION: the tree is flattened, so a pod whose containers are idle does not pass its share to its
 * siblings' pods first, as the real hierarchy would; under contention among busy containers this is exact.
 * Returns one weight per container, in pod and container order.
 */
export function flatWeights(pods: readonly NodePod[]): number[][] {
  const bestEffortPods = pods.filter((p) => qosClass(p.containers) === 'BestEffort').length;
  return pods.map((pod) => {
    const qos = qosClass(pod.containers);
    const podShares = qos === 'BestEffort' ? MIN_SHARES / bestEffortPods : podCfs(pod.containers).shares;
    const own = pod.containers.map((c) => containerCfs(c).shares);
    const total = own.reduce((a, b) => a + b, 0);
    return own.map((s) => (podShares * s) / total);
  });
}
