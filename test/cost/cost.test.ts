// Worked by hand: n2-standard-4 is priced exactly at OpenCost's default rates (4 x 0.031611 +
// 16 x 0.004237 = 0.194236 $/h), so on such nodes a core costs 0.031611 $/h and a GB 0.004237 $/h.
import { describe, expect, it } from 'vitest';
import {
  attachCost,
  costOf,
  costTable,
  HOURS_PER_MONTH,
  nodeRates,
  SECONDS_PER_MONTH,
  sizeDaemonSetForBusiest,
} from '../../src/cost/index.ts';
import type { Architecture, Scenario } from '../../src/scenario/index.ts';
import { type ArchResult, simulate, simulateArchitecture } from '../../src/simulate/index.ts';
import { tiny } from '../plan/fixture.ts';

const GiB = 1024 ** 3;

/** `a` with every component's mean usage replaced (cores, bytes); unlisted components use nothing. */
function withUsage(a: ArchResult, used: Record<string, [number, number]>): ArchResult {
  const out = structuredClone(a);
  for (const c of out.components) {
    const [cpu, memory] = used[c.component] ?? [0, 0];
    c.cpu.used.mean = cpu;
    c.memory.used.mean = memory;
  }
  return out;
}

function exactNodes(arch: Architecture, extra: Parameters<typeof tiny>[0] = {}): [Scenario, ArchResult] {
  const s = tiny({
    nodes: 2,
    vcpu: '4',
    memory: '16G',
    price: 0.194236,
    replicas: 2,
    cpu: '1',
    mem: '2G',
    cost: '{ crossZonePerGiB: 0.02, perProxyFeePerHour: 0.01 }',
    ...extra,
  });
  return [s, simulateArchitecture(s, arch)];
}

describe('node price', () => {
  it('splits n2-standard-4 into exactly the OpenCost default rates', () => {
    const r = nodeRates(4, 16e9, 0.194236);
    expect(r.cpu).toBeCloseTo(0.031611, 12);
    expect(r.memory * 1e9).toBeCloseTo(0.004237, 12);
  });

  it('splits any price in the ratio of the default rates, and the parts add back up', () => {
    // m5.xlarge: 4 vCPU, 16 GiB = 17.179869184 GB, 0.192 $/h.
    const r = nodeRates(4, 16 * GiB, 0.192);
    const cpuWeight = 4 * 0.031611;
    const memWeight = 17.179869184 * 0.004237;
    expect(4 * r.cpu).toBeCloseTo((0.192 * cpuWeight) / (cpuWeight + memWeight), 12);
    expect(4 * r.cpu + 16 * GiB * r.memory).toBeCloseTo(0.192, 12);
  });

  it('charges a month of 730 hours and applies the scenario discount once', () => {
    const [s, a] = exactNodes('none');
    expect(costOf(s, a).monthly.nodes).toBeCloseTo(2 * 0.194236 * 730, 9);
    const d = tiny({ price: 0.2, cost: '{ discount: 0.25 }' });
    expect(d.cluster.nodePools[0]!.pricePerHour).toBeCloseTo(0.15, 12);
    const [s2, a2] = [d, simulateArchitecture(d, 'none')];
    expect(costOf(s2, a2).monthly.nodes).toBeCloseTo(0.15 * 730, 9);
  });
});

describe('allocation', () => {
  it('charges max(request, usage) per resource and leaves the rest idle', () => {
    const [s, raw] = exactNodes('none');
    // Requests: 2 pods x (1 core, 2 GB). Usage: 3 cores (above), 1 GB (below).
    const a = withUsage(raw, { application: [3, 1e9] });
    a.network.crossZoneBytesPerSecond.mean = (100 * GiB) / SECONDS_PER_MONTH;
    const c = costOf(s, a);
    const app = c.allocation.byComponent.find((x) => x.component === 'application')!;
    expect(app.cpu).toBeCloseTo(3 * 0.031611 * 730, 9); // 69.22809
    expect(app.memory).toBeCloseTo(4 * 0.004237 * 730, 9); // 12.37204
    expect(c.allocation.allocated).toBeCloseTo(81.60013, 6);
    expect(c.allocation.idle).toBeCloseTo(283.58456 - 81.60013, 6);
    expect(c.allocation.allocated + c.allocation.idle).toBeCloseTo(c.monthly.nodes, 9);
    expect(c.allocation.byNamespace.find((x) => x.namespace === 'app')!.total).toBeCloseTo(81.60013, 6);
    expect(c.monthly.crossZone).toBeCloseTo(100 * 0.02, 9);
    expect(c.monthly.proxyFee).toBe(0);
    expect(c.monthly.total).toBeCloseTo(283.58456 + 2, 6);
    expect(c.mesh.monthly).toBe(0);
  });

  it('charges sidecars their requests and the managed-mesh fee per proxy', () => {
    const [s, raw] = exactNodes('sidecar');
    const a = withUsage(raw, { application: [1, 1e9], sidecar: [0.05, 0] });
    const c = costOf(s, a);
    const sidecar = c.allocation.byComponent.find((x) => x.component === 'sidecar')!;
    // Two sidecars of 100m / 128Mi (Istio's defaults).
    expect(sidecar.cpu).toBeCloseTo(0.2 * 0.031611 * 730, 9);
    expect(sidecar.memory).toBeCloseTo(((2 * 128 * 1024 ** 2) / 1e9) * 0.004237 * 730, 9);
    expect(c.proxies.sidecars).toBe(2);
    expect(c.monthly.proxyFee).toBeCloseTo(2 * 0.01 * 730, 9);
    expect(c.mesh.monthly).toBeCloseTo(sidecar.total + 14.6, 9);
    expect(c.mesh.share).toBeCloseTo(c.mesh.monthly / c.monthly.total, 12);
  });

  it('counts ztunnels for the fee in ambient mode', () => {
    const [s, a] = exactNodes('ambient');
    const c = costOf(s, a);
    expect(c.proxies).toMatchObject({ sidecars: 0, ztunnels: 2, waypoints: 0 });
    expect(c.monthly.proxyFee).toBeCloseTo(2 * 0.01 * 730, 9);
  });

  it('never reports negative idle: usage beyond capacity is reported as over-allocation', () => {
    const [s, raw] = exactNodes('none');
    const a = withUsage(raw, { application: [20, 1e9] });
    const c = costOf(s, a);
    expect(c.allocation.idle).toBe(0);
    expect(c.allocation.overAllocated).toBeCloseTo(c.allocation.allocated - c.monthly.nodes, 9);
    expect(c.notes.join()).toMatch(/beyond node capacity/);
  });

  it('allocated + idle - over-allocated = node cost for every architecture of a real simulation', () => {
    const s = tiny({ nodes: 3, zones: ['a', 'b'], rate: '50/s' });
    const r = attachCost(s, simulate(s));
    expect(r.cost.map((c) => c.architecture)).toEqual(['none', 'sidecar', 'ambient']);
    for (const c of r.cost) {
      const { allocated, idle, overAllocated } = c.allocation;
      expect(allocated + idle - overAllocated).toBeCloseTo(c.monthly.nodes, 9);
      const byNs = c.allocation.byNamespace.reduce((x, n) => x + n.total, 0);
      expect(byNs).toBeCloseTo(allocated, 9);
      expect(c.monthly.total).toBeCloseTo(c.monthly.nodes + c.monthly.crossZone + c.monthly.proxyFee, 9);
    }
    const table = costTable(r.cost);
    expect(table.split('\n')[0]).toMatch(/^architecture\s+nodes\s+\$\/month\s+mesh share/);
    expect(table.split('\n')).toHaveLength(4);
  });
});

describe('ztunnel sized for the busiest node', () => {
  it('sets the DaemonSet requests to the busiest ztunnel x 1.25', () => {
    const [s, raw] = exactNodes('ambient');
    const a = structuredClone(raw);
    a.proxyMax.ztunnel = { cpu: 0.08, memory: 40 * 1024 ** 2, node: 'pool-0' };
    const sized = sizeDaemonSetForBusiest(s, a);
    expect(sized.mesh.ztunnel.resources.requests.cpu).toBeCloseTo(0.1, 12);
    expect(sized.mesh.ztunnel.resources.requests.memory).toBeCloseTo(50 * 1024 ** 2, 3);
    expect(s.mesh.ztunnel.resources.requests.cpu).toBe(0.2); // input untouched
    const floored = sizeDaemonSetForBusiest(s, a, { floorAtDefault: true });
    expect(floored.mesh.ztunnel.resources.requests).toEqual({ cpu: 0.2, memory: 512 * 1024 ** 2 });
    // Over the whole cluster: every node reserves what the busiest needs.
    const c = costOf(sized, simulateArchitecture(sized, 'ambient'));
    const zt = c.allocation.byComponent.find((x) => x.component === 'ztunnel')!;
    expect(zt.cpu).toBeGreaterThanOrEqual(2 * 0.1 * 0.031611 * HOURS_PER_MONTH - 1e-9);
  });
});
