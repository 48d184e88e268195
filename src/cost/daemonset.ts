// ztunnel's requests are one setting for the whole DaemonSet, so every node reserves what the busiest
// node's ztunnel needs (shared/calibration/SOURCES.md section 4, istio/ztunnel#1288). This sizes the
// DaemonSet that way, so the cost of the busiest node's sizing over the whole cluster can be shown.
import type { Resources, Scenario } from '../scenario/index.ts';
import type { ArchResult } from '../simulate/index.ts';
import { HOURS_PER_MONTH } from './constants.ts';
import { nodeRates } from './rates.ts';

/**
 * Requests = busiest ztunnel's mean usage x this factor. A: no published figure; 25 % over the mean
 * leaves room for bursts above the measured window's average, as a VPA-style recommendation would.
 */
export const ZTUNNEL_HEADROOM = 1.25;

export interface DaemonSetSizing {
  headroom?: number;
  /**
   * Keep the chart's requests as a floor. Off by default: the chart's 200m / 512Mi is a generic guess
   * (SOURCES.md section 2), and sizing from measured usage is the point, so a quiet cluster may request
   * less than the default.
   */
  floorAtDefault?: boolean;
}

/** `s` with ztunnel's requests set from the busiest ztunnel of `a`; `s` unchanged when `a` has none. */
export function sizeDaemonSetForBusiest(s: Scenario, a: ArchResult, o: DaemonSetSizing = {}): Scenario {
  const out = structuredClone(s);
  const busiest = a.proxyMax.ztunnel;
  if (!busiest) return out;
  const h = o.headroom ?? ZTUNNEL_HEADROOM;
  const current = s.mesh.ztunnel.resources.requests;
  const sized: Resources = { cpu: busiest.cpu * h, memory: busiest.memory * h };
  out.mesh.ztunnel.resources.requests = o.floorAtDefault
    ? { cpu: Math.max(sized.cpu, current.cpu), memory: Math.max(sized.memory, current.memory) }
    : sized;
  return out;
}

/** What reserving `requests` on every node of `s` costs a month, at each node's unit rates. */
export function daemonSetMonthly(s: Scenario, requests: Resources): number {
  let hourly = 0;
  for (const p of s.cluster.nodePools) {
    const r = nodeRates(p.vcpu, p.memory, p.pricePerHour);
    hourly += p.count * (requests.cpu * r.cpu + requests.memory * r.memory);
  }
  return hourly * HOURS_PER_MONTH;
}
