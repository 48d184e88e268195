// What crossing a zone inside one region costs per GiB of bytes crossing, by the cloud the node pools
// are on (checked 2026-11; every figure overridable with cost.crossZonePerGiB):
// - AWS bills intra-region cross-AZ transfer in both directions, $0.01/GB out of the sender's AZ and
//   $0.01/GB into the receiver's (https://aws.amazon.com/ec2/pricing/on-demand/#Data_Transfer_within_the_same_AWS_Region),
//   so every byte crossing costs $0.02/GB;
// - Google Cloud bills inter-zone VM-to-VM transfer in one region $0.01/GiB, on egress only
//   (https://cloud.google.com/vpc/network-pricing#vpc-pricing);
// - Azure announced on 2024-05-21 that it does not charge for data transfer across availability zones
//   (https://azure.microsoft.com/en-us/updates/, "Azure availability zones: no inter-AZ data transfer
//   charges"), so $0;
// - custom instance types, or pools on several clouds: OpenCost's default $0.01/GB (DEFAULT_CROSS_ZONE_PER_GIB).
import { findInstanceType } from './catalogue.ts';
import { DEFAULT_CROSS_ZONE_PER_GIB } from './defaults.ts';

/** A price per GB as a price per GiB. */
const PER_GIB_OF_GB = 1024 ** 3 / 1e9;

export const CROSS_ZONE_PER_GIB = {
  aws: 2 * 0.01 * PER_GIB_OF_GB,
  gcp: 0.01,
  azure: 0,
} as const;

/** The default $/GiB of cross-zone bytes for pools of these instance types. */
export function crossZoneDefault(instanceTypes: readonly string[]): number {
  const providers = new Set(instanceTypes.map((t) => findInstanceType(t)?.provider ?? 'custom'));
  if (providers.size !== 1) return DEFAULT_CROSS_ZONE_PER_GIB;
  const [p] = [...providers];
  return p === 'custom' || p === undefined ? DEFAULT_CROSS_ZONE_PER_GIB : CROSS_ZONE_PER_GIB[p];
}
