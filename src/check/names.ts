// The CNIs and platforms the check rules know, alone in a file so the command line's option list can
// name them without loading the rules.
export const CNIS = [
  'cilium',
  'calico',
  'aws-vpc-cni',
  'azure',
  'azure-cilium',
  'gke-dataplane-v2',
  'flannel',
  'other',
] as const;
export type Cni = (typeof CNIS)[number];
export const PLATFORMS = ['eks', 'gke', 'aks', 'other'] as const;
export type PlatformName = (typeof PLATFORMS)[number];
