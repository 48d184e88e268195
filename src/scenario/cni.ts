// The CNIs and cloud platforms a scenario can name (cluster.cni): the operational checks of src/check
// read them, since their interplay with ambient mode decides whether it works at all.
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
