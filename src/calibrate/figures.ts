// The published figures meshsim must reproduce (shared/calibration/SOURCES.md section 1), and how each
// is read off a simulation of the benchmark that produced it (scenarios/calibration/).
import type { Component } from '../cluster/index.ts';
import type { ArchResult } from '../simulate/index.ts';

const ISTIO_124 =
  'https://istio.io/v1.24/docs/ops/deployment/performance-and-scalability/ (1.24, 1 KB, 1000 rps, 2 workers, mTLS)';
const ISTIO_120 =
  'https://istio.io/v1.20/docs/ops/deployment/performance-and-scalability/ (1.20, 1 KB, 1000 rps, 2 workers, mTLS)';
const ISTIO_122 =
  'https://istio.io/v1.22/docs/ops/deployment/performance-and-scalability/ (1.22, 1 KB, 1000 rps, 2 workers, mTLS)';

export interface Figure {
  figure: string;
  source: string;
  published: number;
  unit: string;
  /** Scenario file under scenarios/calibration/. */
  scenario: string;
  /** Reads the simulated value from the run's architectures (by name). */
  read: (by: Map<string, ArchResult>) => number;
}

/** Averaged over the proxies of a component that carried requests, each normalised to 1000 rps through it. */
function perProxy(arch: string, c: Component, what: 'cpu' | 'memory') {
  return (by: Map<string, ArchResult>) => {
    const busy = by.get(arch)!.busiestProxies.filter((p) => p.component === c && p.requestsPerSecond > 0);
    const each = busy.map((p) => (what === 'cpu' ? p.cpu / (p.requestsPerSecond / 1000) : p.memory / 1e6));
    return each.reduce((a, b) => a + b, 0) / each.length;
  };
}

/** Latency the proxies of a call add over no mesh, at a quantile of the client's latency. */
function added(arch: string, q: 'p90' | 'p99') {
  return (by: Map<string, ArchResult>) =>
    (by.get(arch)!.entryPoints[0]!.latency[q].mean - by.get('none')!.entryPoints[0]!.latency[q].mean) * 1e3;
}

export const FIGURES: readonly Figure[] = [
  {
    figure: 'sidecar CPU per 1000 rps',
    source: ISTIO_124,
    published: 0.2,
    unit: 'vCPU',
    scenario: 'istio-1.24.yaml',
    read: perProxy('sidecar', 'sidecar', 'cpu'),
  },
  {
    figure: 'sidecar memory',
    source: ISTIO_124,
    published: 60,
    unit: 'MB',
    scenario: 'istio-1.24.yaml',
    read: perProxy('sidecar', 'sidecar', 'memory'),
  },
  {
    figure: 'ztunnel CPU per 1000 rps',
    source: ISTIO_124,
    published: 0.06,
    unit: 'vCPU',
    scenario: 'istio-1.24.yaml',
    read: perProxy('ambient', 'ztunnel', 'cpu'),
  },
  {
    figure: 'ztunnel memory',
    source: ISTIO_124,
    published: 12,
    unit: 'MB',
    scenario: 'istio-1.24.yaml',
    read: perProxy('ambient', 'ztunnel', 'memory'),
  },
  {
    figure: 'waypoint CPU per 1000 rps',
    source: ISTIO_124,
    published: 0.25,
    unit: 'vCPU',
    scenario: 'waypoint-1.24.yaml',
    read: perProxy('ambient', 'waypoint', 'cpu'),
  },
  {
    figure: 'waypoint memory',
    source: ISTIO_124,
    published: 60,
    unit: 'MB',
    scenario: 'waypoint-1.24.yaml',
    read: perProxy('ambient', 'waypoint', 'memory'),
  },
  {
    figure: 'latency added by two sidecars, P90',
    source: ISTIO_120,
    published: 0.228,
    unit: 'ms',
    scenario: 'istio-1.24.yaml',
    read: added('sidecar', 'p90'),
  },
  {
    figure: 'latency added by two sidecars, P99',
    source: ISTIO_120,
    published: 0.298,
    unit: 'ms',
    scenario: 'istio-1.24.yaml',
    read: added('sidecar', 'p99'),
  },
  {
    figure: 'latency added by two ztunnels, P90',
    source: ISTIO_122,
    published: 0.17,
    unit: 'ms',
    scenario: 'istio-1.24.yaml',
    read: added('ambient', 'p90'),
  },
  {
    figure: 'latency added by two ztunnels, P99',
    source: ISTIO_122,
    published: 0.2,
    unit: 'ms',
    scenario: 'istio-1.24.yaml',
    read: added('ambient', 'p99'),
  },
];

/** Calibration tolerance: every figure within 10 % (the calibration issue's acceptance bar). */
export const TOLERANCE = 0.1;
