// The built-in instance catalogue: on-demand Linux prices per hour, as listed in
// shared/calibration/SOURCES.md section 6 (third-party price tables that agree with each other; the
// providers' own pages were not reachable). Dated so a reader knows how old a figure is; every row can
// be overridden from a scenario (pricePerHour, or vcpu/memory/price inline with instanceType: custom).
import type { Resources } from './types.ts';

const Mi = 1024 * 1024;
const Gi = 1024 * Mi;

export const CATALOGUE_DATE = '2026-11';

export interface InstanceType {
  name: string;
  provider: 'aws' | 'gcp' | 'azure';
  region: string;
  vcpu: number;
  memory: number;
  pricePerHour: number;
  maxPods: number;
  /** Where maxPods comes from. */
  maxPodsSource: string;
  source: string;
}

const AWS = 'AWS us-east-1 on-demand Linux, shared/calibration/SOURCES.md section 6';
const GCP = 'GCP us-central1 on-demand, shared/calibration/SOURCES.md section 6';
const ENI = 'aws/amazon-vpc-cni-k8s misc/eni-max-pods.txt';
const K8S = 'Kubernetes default 110 (cluster-large best practices)';

export const INSTANCE_TYPES: readonly InstanceType[] = [
  {
    name: 'm5.large',
    provider: 'aws',
    region: 'us-east-1',
    vcpu: 2,
    memory: 8 * Gi,
    pricePerHour: 0.096,
    maxPods: 29,
    maxPodsSource: ENI,
    source: AWS,
  },
  {
    name: 'm5.xlarge',
    provider: 'aws',
    region: 'us-east-1',
    vcpu: 4,
    memory: 16 * Gi,
    pricePerHour: 0.192,
    maxPods: 58,
    maxPodsSource: ENI,
    source: AWS,
  },
  // m6i.xlarge and c6i.xlarge have m5.xlarge's ENI layout (4 ENIs x 15 addresses): 58 pods.
  {
    name: 'm6i.xlarge',
    provider: 'aws',
    region: 'us-east-1',
    vcpu: 4,
    memory: 16 * Gi,
    pricePerHour: 0.192,
    maxPods: 58,
    maxPodsSource: ENI,
    source: AWS,
  },
  {
    name: 'c6i.xlarge',
    provider: 'aws',
    region: 'us-east-1',
    vcpu: 4,
    memory: 8 * Gi,
    pricePerHour: 0.17,
    maxPods: 58,
    maxPodsSource: ENI,
    source: AWS,
  },
  {
    name: 'e2-standard-4',
    provider: 'gcp',
    region: 'us-central1',
    vcpu: 4,
    memory: 16e9,
    pricePerHour: 0.134012,
    maxPods: 110,
    maxPodsSource: K8S,
    source: GCP,
  },
  {
    name: 'n2-standard-4',
    provider: 'gcp',
    region: 'us-central1',
    vcpu: 4,
    memory: 16e9,
    pricePerHour: 0.194236,
    maxPods: 110,
    maxPodsSource: K8S,
    source: GCP,
  },
  // Price approximate in SOURCES.md; maxPods: AKS's default depends on the CNI, 110 assumed (A).
  {
    name: 'Standard_D4s_v5',
    provider: 'azure',
    region: 'eastus',
    vcpu: 4,
    memory: 16 * Gi,
    pricePerHour: 0.192,
    maxPods: 110,
    maxPodsSource: 'assumption: 110',
    source: 'Azure East US, approximate, shared/calibration/SOURCES.md section 6',
  },
];

/**
 * OpenCost default rates (configs/default.json, GCP us-central1): $0.031611 per vCPU-hour and $0.004237
 * per GB-hour (D). Used for custom node types with no price, and to split a node's price into CPU and
 * memory (OpenCost spec v01).
 */
export const OPENCOST_CPU_PER_HOUR = 0.031611;
export const OPENCOST_GB_PER_HOUR = 0.004237;

export function findInstanceType(name: string): InstanceType | undefined {
  return INSTANCE_TYPES.find((t) => t.name === name);
}

/** Price of a node from the OpenCost default rates, for node types given only by size. */
export function openCostPrice(vcpu: number, memory: number): number {
  return vcpu * OPENCOST_CPU_PER_HOUR + (memory / 1e9) * OPENCOST_GB_PER_HOUR;
}

/**
 * Resources the kubelet keeps back (kube-reserved + eviction threshold), by the managed providers'
 * published formulas. CPU: 6 % of the first core, 1 % of the second, 0.5 % of the third and fourth,
 * 0.25 % of the rest (EKS AMI bootstrap and GKE's node allocatable docs share this table). Memory:
 * EKS 255 MiB + 11 MiB per pod (amazon-eks-ami); GKE and others 25 % of the first 4 GiB, 20 % of the
 * next 4, 10 % of the next 8, 6 % of the next 112, 2 % above (GKE docs); both plus 100 MiB eviction.
 */
export function systemReserved(
  provider: InstanceType['provider'] | 'custom',
  vcpu: number,
  memory: number,
  maxPods: number,
): Resources {
  const cores = [0.06, 0.01, 0.005, 0.005];
  let cpu = 0;
  for (let i = 0; i < Math.ceil(vcpu); i++) cpu += (cores[i] ?? 0.0025) * Math.min(1, vcpu - i);
  let mem: number;
  if (provider === 'aws') mem = 255 * Mi + 11 * Mi * maxPods;
  else {
    const bands: Array<[number, number]> = [
      [4 * Gi, 0.25],
      [4 * Gi, 0.2],
      [8 * Gi, 0.1],
      [112 * Gi, 0.06],
      [Number.POSITIVE_INFINITY, 0.02],
    ];
    let left = memory;
    mem = 0;
    for (const [size, share] of bands) {
      const part = Math.min(left, size);
      mem += part * share;
      left -= part;
      if (left <= 0) break;
    }
  }
  return { cpu, memory: mem + 100 * Mi };
}
