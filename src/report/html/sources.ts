// Where the simulator's constants come from (the calibration notes' sources), cited in every report
// so a reader can check a number against its published origin.
export const CALIBRATION_SOURCES: ReadonlyArray<{ title: string; url: string }> = [
  {
    title: 'Istio, Performance and Scalability (sidecar, waypoint and ztunnel CPU, memory, latency; 1.24)',
    url: 'https://istio.io/latest/docs/ops/deployment/performance-and-scalability/',
  },
  {
    title: 'Istio 1.20 and 1.22 benchmark pages (latency added by sidecars and ztunnels)',
    url: 'https://istio.io/v1.22/docs/ops/deployment/performance-and-scalability/',
  },
  {
    title: 'Istio blog, Rust-based ztunnel (configuration held per proxy)',
    url: 'https://istio.io/latest/blog/2023/rust-based-ztunnel/',
  },
  { title: 'ztunnel memory at 1M pods and 66k services', url: 'https://github.com/istio/ztunnel/issues/667' },
  {
    title: 'ztunnel sized for the busiest node of the DaemonSet',
    url: 'https://github.com/istio/ztunnel/issues/1288',
  },
  {
    title: 'Upgrading ambient mode with Helm (ztunnel restarts)',
    url: 'https://istio.io/latest/docs/ambient/upgrade/helm/',
  },
  { title: 'Ambient mode tuning thresholds', url: 'https://ambientmesh.io/docs/setup/advanced' },
];
