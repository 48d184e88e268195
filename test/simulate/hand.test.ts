// Hand-checked simulations. At 1 request/s with constant times nothing ever queues, so every latency is
// a sum of the model's documented terms (replication/segments.ts travel(), request-path.ts serve()):
//   - each network link crossed adds its one-way delay d on the way in; the response pays the same
//     delays again on the way back (so 2 d per link end to end);
//   - each proxy hop adds its non-CPU part, criticalPath + criticalPathPerKiB x KiB (KiB = request +
//     response size), plus its on-path CPU: cpuOnPath x (cpuPerRequest + cpuPerKiB x KiB) (0 here unless
//     said), cpuPerConnection when it accepts a new connection and cpuPerHandshake for each mTLS
//     handshake it takes part in (the node has cores to spare, so CPU runs at full speed);
//   - a segment that opens a new transport connection adds a TCP round trip, 2 d; if it is mTLS, the
//     handshake adds another 2 d plus the terminating proxy's handshakeLatency;
//   - a local segment (app -> own sidecar, app -> own node's ztunnel) has no delay and no set-up cost.
// Then at high load, against queueing theory (M/M/c at the application, M/D/1 at a sidecar).
import { describe, expect, it } from 'vitest';
import { confidenceInterval, constant, exponential, replicate } from '../../sim/index.ts';
import type { Architecture } from '../../src/scenario/index.ts';
import { runReplication, simulateArchitecture, type World } from '../../src/simulate/index.ts';
import { md1Wait, mmcWait } from '../helpers/queueing.ts';
import {
  constantCost,
  delayBetween,
  type HandOptions,
  handScenario,
  NO_IDLE_CPU,
  runEngine,
} from '../helpers/scenario-text.ts';
import { runQueue } from '../sim/helpers/queue-model.ts';

const EXACT = 1e-9;
const S = 1e-3; // server service time
const KIB = 2; // 1 KiB request + 1 KiB response
// Sidecar: criticalPath 100 us + 5 us/KiB, handshake latency 400 us.
const SIDECAR_HOP = 100e-6 + 5e-6 * KIB;
const SIDECAR_HS = 400e-6;
// ztunnel: criticalPath 70 us + 3 us/KiB, handshake latency 250 us.
const ZTUNNEL_HOP = 70e-6 + 3e-6 * KIB;
const ZTUNNEL_HS = 250e-6;
// Waypoint: criticalPath 200 us + 0, handshake latency 600 us.
const WAYPOINT_HOP = 200e-6;
const WAYPOINT_HS = 600e-6;
// CPU figures (checked in the CPU tests).
const CPU = { sidecar: 50e-6, ztunnel: 30e-6, connS: 20e-6, connZ: 40e-6, hs: 300e-6 };
// On-path CPU of opening connections: a new sidecar-to-sidecar mTLS connection costs a handshake on both
// sidecars and an accept at the server's; an app's new connection to its own sidecar an accept there.
const SETUP_S = 2 * CPU.hs + CPU.connS;
const SETUP_Z = 2 * CPU.hs + CPU.connZ;

const MESH = [
  constantCost('sidecar', {
    criticalPath: '100us',
    criticalPathPerKiB: '5us',
    handshakeLatency: '400us',
    cpuPerRequest: '50us',
    cpuPerConnection: '20us',
    cpuPerHandshake: '300us',
  }),
  constantCost('ztunnel', {
    criticalPath: '70us',
    criticalPathPerKiB: '3us',
    handshakeLatency: '250us',
    cpuPerRequest: '30us',
    cpuPerConnection: '40us',
    cpuPerHandshake: '300us',
  }),
  constantCost('waypoint', { criticalPath: '200us', criticalPathPerKiB: '0s', handshakeLatency: '600us' }),
].join('\n');

const PLACEMENTS = [
  { name: 'same node', nodes: 1, zones: ['zone-a'], locality: 0 },
  { name: 'same zone', nodes: 2, zones: ['zone-a'], locality: 1 },
  { name: 'cross zone', nodes: 2, zones: ['zone-a', 'zone-b'], locality: 2 },
] as const;

/** Node of the (only) client pod and of the (only) server pod. */
function endpoints(w: World): { client: number; server: number } {
  const node = (owner: string) => {
    const pods = w.placement.byOwner.get(owner) ?? [];
    expect(pods.length).toBe(1);
    return w.placement.pods[pods[0]!]!.node;
  };
  return { client: node('web'), server: node('app/api') };
}

interface LowLoad {
  /** Latency of the first request (it opens the connections). */
  first: number;
  /** Latency of every later request. */
  steady: number;
  count: number;
  world: World;
  proxyCpu: Float64Array;
  proxyName: string[];
}

/**
 * 1 request/s, constant arrivals from t = 1 s to 9 s; warm-up 0.5 s so the first request (which opens
 * the connections) is measured too. Histogram min, max and sum are exact.
 */
function lowLoad(arch: Architecture, o: HandOptions): LowLoad {
  const s = handScenario({
    compare: [arch],
    mesh: MESH,
    warmup: '500ms',
    duration: '10s',
    rate: '1/s',
    arrival: 'constant',
    serviceTime: '{ constant: 1ms }',
    ...o,
  });
  const { engine, world } = runEngine(s, arch);
  const h = engine.recorder.entryHist[0]!;
  expect(h.count).toBe(9);
  // Every request but the first has the same latency: the first is the maximum.
  const first = h.max;
  const steady = h.min;
  expect(h.mean * h.count).toBeCloseTo(first + (h.count - 1) * steady, 12);
  return {
    first,
    steady,
    count: h.count,
    world,
    proxyCpu: Float64Array.from(world.proxyName, (_, p) => engine.proxies.cpuOf(p)),
    proxyName: world.proxyName,
  };
}

const KEEPALIVE = '{ type: keepalive, poolSize: 1 }';

describe('low load, no mesh: latency = S + 2 d (+ 2 d for a new TCP connection)', () => {
  for (const pl of PLACEMENTS) {
    it(`${pl.name}`, () => {
      const ka = lowLoad('none', { nodes: pl.nodes, zones: [...pl.zones], connection: KEEPALIVE });
      const { client, server } = endpoints(ka.world);
      const d = delayBetween(ka.world, client, server);
      // The placement is the one the case is named after.
      expect(d).toBe(ka.world.delay[pl.locality]);
      expect(ka.steady).toBeCloseTo(S + 2 * d, 9);
      expect(Math.abs(ka.steady - (S + 2 * d))).toBeLessThan(EXACT);
      expect(Math.abs(ka.first - (S + 4 * d))).toBeLessThan(EXACT);

      const pr = lowLoad('none', { nodes: pl.nodes, zones: [...pl.zones], connection: 'per-request' });
      expect(Math.abs(pr.steady - (S + 4 * d))).toBeLessThan(EXACT);
      expect(Math.abs(pr.first - (S + 4 * d))).toBeLessThan(EXACT);
    });
  }

  it('the delays are the scenario network settings (10 us / 100 us / 1 ms)', () => {
    const { world } = lowLoad('none', { connection: KEEPALIVE });
    const want = [10e-6, 100e-6, 1e-3];
    world.delay.forEach((v, i) => {
      expect(v).toBeCloseTo(want[i]!, 15);
    });
  });
});

describe('low load, sidecar -> sidecar: + 2 hops of (non-CPU part + on-path CPU)', () => {
  const sidecar = (pl: (typeof PLACEMENTS)[number], o: HandOptions) =>
    lowLoad('sidecar', {
      nodes: pl.nodes,
      zones: [...pl.zones],
      label: 'sidecar',
      clientMode: 'sidecar',
      ...o,
    });

  for (const pl of PLACEMENTS) {
    it(`${pl.name}: keep-alive http1; the first request opens the pooled mTLS connection`, () => {
      const r = sidecar(pl, { connection: KEEPALIVE });
      const { client, server } = endpoints(r.world);
      const d = delayBetween(r.world, client, server);
      expect(d).toBe(r.world.delay[pl.locality]);
      const steady = S + 2 * d + 2 * SIDECAR_HOP;
      expect(Math.abs(r.steady - steady)).toBeLessThan(EXACT);
      // app -> sidecar is loopback (free); sidecar -> sidecar: TCP round trip + handshake.
      expect(Math.abs(r.first - (steady + 2 * d + 2 * d + SIDECAR_HS + SETUP_S + CPU.connS))).toBeLessThan(
        EXACT,
      );
    });

    it(`${pl.name}: per-request http1 pays only the local accept: Envoy reuses its upstream pool`, () => {
      const r = sidecar(pl, { connection: 'per-request' });
      const { client, server } = endpoints(r.world);
      const d = delayBetween(r.world, client, server);
      const steady = S + 2 * d + 2 * SIDECAR_HOP + CPU.connS;
      expect(Math.abs(r.steady - steady)).toBeLessThan(EXACT);
      expect(Math.abs(r.first - (steady + 4 * d + SIDECAR_HS + SETUP_S))).toBeLessThan(EXACT);
    });

    it(`${pl.name}: per-request tcp pays a TCP round trip and an mTLS handshake every time`, () => {
      const r = sidecar(pl, { connection: 'per-request', protocol: 'tcp' });
      const { client, server } = endpoints(r.world);
      const d = delayBetween(r.world, client, server);
      const each = S + 2 * d + 2 * SIDECAR_HOP + 4 * d + SIDECAR_HS + SETUP_S + CPU.connS;
      expect(Math.abs(r.steady - each)).toBeLessThan(EXACT);
      expect(Math.abs(r.first - each)).toBeLessThan(EXACT);
    });
  }

  it('http2 keep-alive behaves as http1 at one request in flight', () => {
    const pl = PLACEMENTS[2];
    const a = sidecar(pl, { connection: KEEPALIVE, protocol: 'http2' });
    const b = sidecar(pl, { connection: KEEPALIVE, protocol: 'http1' });
    expect(a.steady).toBe(b.steady);
    expect(a.first).toBe(b.first);
  });

  it('a plain client reaches only the server sidecar: one hop, plaintext (TCP set-up, no handshake)', () => {
    const pl = PLACEMENTS[2];
    const r = lowLoad('sidecar', {
      nodes: pl.nodes,
      zones: [...pl.zones],
      label: 'sidecar',
      clientMode: 'none',
      connection: KEEPALIVE,
    });
    const { client, server } = endpoints(r.world);
    const d = delayBetween(r.world, client, server);
    expect(Math.abs(r.steady - (S + 2 * d + SIDECAR_HOP))).toBeLessThan(EXACT);
    expect(Math.abs(r.first - (S + 4 * d + SIDECAR_HOP + CPU.connS))).toBeLessThan(EXACT);
  });

  it('CPU per request: cpuPerRequest + cpuPerKiB x KiB, plus connection and handshake costs', () => {
    const pl = PLACEMENTS[1];
    // Keep-alive: the first request opens the app's connection to its sidecar (cpuPerConnection at the
    // client sidecar) and the pooled mTLS connection (a handshake at both sidecars; the server sidecar
    // also pays cpuPerConnection for the new connection it accepts).
    const ka = sidecar(pl, { connection: KEEPALIVE });
    const byName = (r: LowLoad, suffix: string) =>
      r.proxyCpu[r.proxyName.findIndex((n) => n.includes(suffix))]!;
    const n = ka.count;
    const clientCpu = n * CPU.sidecar + CPU.connS + CPU.hs;
    const serverCpu = n * CPU.sidecar + CPU.connS + CPU.hs;
    expect(byName(ka, 'web-client-0')).toBeCloseTo(clientCpu, 12);
    expect(byName(ka, 'app/api-0')).toBeCloseTo(serverCpu, 12);
    // Per-request tcp: every request pays all of it on both sides.
    const tcp = sidecar(pl, { connection: 'per-request', protocol: 'tcp' });
    const each = CPU.sidecar + CPU.connS + CPU.hs;
    expect(byName(tcp, 'web-client-0')).toBeCloseTo(n * each, 12);
    expect(byName(tcp, 'app/api-0')).toBeCloseTo(n * each, 12);
  });
});

describe('low load, ambient: ztunnel on both ends', () => {
  const ambient = (pl: (typeof PLACEMENTS)[number], o: HandOptions) =>
    lowLoad('ambient', {
      nodes: pl.nodes,
      zones: [...pl.zones],
      label: 'ambient',
      clientMode: 'ambient',
      ...o,
    });

  for (const pl of PLACEMENTS) {
    it(`${pl.name}: keep-alive; the first request opens the pooled HBONE connection`, () => {
      const r = ambient(pl, { connection: KEEPALIVE });
      const { client, server } = endpoints(r.world);
      const d = delayBetween(r.world, client, server);
      expect(d).toBe(r.world.delay[pl.locality]);
      const steady = S + 2 * d + 2 * ZTUNNEL_HOP;
      expect(Math.abs(r.steady - steady)).toBeLessThan(EXACT);
      expect(Math.abs(r.first - (steady + 4 * d + ZTUNNEL_HS + SETUP_Z + CPU.connZ))).toBeLessThan(EXACT);
    });

    it(`${pl.name}: per-request opens a new HBONE stream (one round trip), never a new handshake`, () => {
      for (const protocol of ['http1', 'tcp'] as const) {
        const r = ambient(pl, { connection: 'per-request', protocol });
        const { client, server } = endpoints(r.world);
        const d = delayBetween(r.world, client, server);
        // Both ztunnels accept a new connection (a new HBONE stream at the server's) every time.
        const steady = S + 2 * d + 2 * ZTUNNEL_HOP + 2 * d + 2 * CPU.connZ;
        expect(Math.abs(r.steady - steady)).toBeLessThan(EXACT);
        expect(Math.abs(r.first - (steady + 2 * d + ZTUNNEL_HS + 2 * CPU.hs))).toBeLessThan(EXACT);
      }
    });
  }

  it('a plain client reaches only the server ztunnel: one hop, plaintext', () => {
    const pl = PLACEMENTS[2];
    const r = lowLoad('ambient', {
      nodes: pl.nodes,
      zones: [...pl.zones],
      label: 'ambient',
      clientMode: 'none',
      connection: KEEPALIVE,
    });
    const { client, server } = endpoints(r.world);
    const d = delayBetween(r.world, client, server);
    expect(Math.abs(r.steady - (S + 2 * d + ZTUNNEL_HOP))).toBeLessThan(EXACT);
    expect(Math.abs(r.first - (S + 4 * d + ZTUNNEL_HOP + CPU.connZ))).toBeLessThan(EXACT);
  });

  it('with a waypoint: two links (client -> waypoint -> server), three hops', () => {
    const r = lowLoad('ambient', {
      nodes: 3,
      zones: ['zone-a', 'zone-b', 'zone-c'],
      label: 'ambient',
      clientMode: 'ambient',
      waypoint: true,
      connection: KEEPALIVE,
    });
    const w = r.world;
    const { client, server } = endpoints(w);
    const wpPods = w.placement.byOwner.get('app/wp') ?? [];
    expect(wpPods.length).toBe(1);
    const wp = w.placement.pods[wpPods[0]!]!.node;
    const d1 = delayBetween(w, client, wp);
    const d2 = delayBetween(w, wp, server);
    const steady = S + 2 * (d1 + d2) + 2 * ZTUNNEL_HOP + WAYPOINT_HOP;
    expect(Math.abs(r.steady - steady)).toBeLessThan(EXACT);
    // ztunnel -> waypoint: new HBONE connection (handshake at the waypoint); waypoint -> ztunnel: new
    // pooled upstream connection (handshake at the server ztunnel).
    // On-path set-up CPU: the client ztunnel's accept and handshake, the waypoint's accept and two
    // handshakes (either side of it), the server ztunnel's accept and handshake.
    const setup = 2 * CPU.connZ + CPU.connS + 4 * CPU.hs;
    const first = steady + 4 * d1 + WAYPOINT_HS + 4 * d2 + ZTUNNEL_HS + setup;
    expect(Math.abs(r.first - first)).toBeLessThan(EXACT);
  });

  it('CPU: per-request costs a new captured connection on both ztunnels but one handshake in all', () => {
    const pl = PLACEMENTS[1];
    const r = ambient(pl, { connection: 'per-request', protocol: 'tcp' });
    const { client, server } = endpoints(r.world);
    const zt = (node: number) => r.proxyCpu[r.world.ztunnelOfNode[node]!]!;
    const n = r.count;
    expect(client).not.toBe(server);
    expect(zt(client)).toBeCloseTo(n * (CPU.ztunnel + CPU.connZ) + CPU.hs, 12);
    expect(zt(server)).toBeCloseTo(n * (CPU.ztunnel + CPU.connZ) + CPU.hs, 12);
  });
});

describe('high load against queueing theory', () => {
  it('application M/M/2 at rho 0.8: mean response = Erlang-C Wq + 1/mu + 2 d, inside the 95 % CI', () => {
    const s = handScenario({
      compare: ['none'],
      concurrency: 2,
      serviceTime: '{ exponential: { mean: 1ms } }',
      rate: '1600/s',
      arrival: 'poisson',
      connection: KEEPALIVE,
      duration: '20s',
      warmup: '2s',
      replications: 10,
    });
    const r = simulateArchitecture(s, 'none');
    const d = 10e-6; // one node: same-node delay
    expect(r.placement.nodes).toBe(1);
    const truth = mmcWait(2, 1600, 1000) + 1e-3 + 2 * d;
    const m = r.entryPoints[0]!.latency.mean;
    expect(truth).toBeGreaterThanOrEqual(m.lo);
    expect(truth).toBeLessThanOrEqual(m.hi);
    // and the interval is informative: within 5 % of the truth
    expect(m.half).toBeLessThan(0.05 * truth);
    // Utilisation of the application equals rho: CPU used = lambda / mu cores.
    const app = r.components.find((c) => c.component === 'application')!;
    expect(app.cpu.used.mean).toBeCloseTo(1.6, 1);
  });

  it('sidecar with one worker and constant CPU D is M/D/1: mean wait = rho D / (2 (1 - rho))', () => {
    const s = handScenario({
      compare: ['sidecar'],
      label: 'sidecar',
      clientMode: 'none', // only the server's sidecar: Poisson arrivals reach it
      serviceTime: '{ constant: 100us }',
      rate: '800/s',
      arrival: 'poisson',
      connection: KEEPALIVE, // one connection, opened during the warm-up
      duration: '20s',
      warmup: '2s',
      replications: 10,
      mesh: `${constantCost('sidecar', {
        cpuPerRequest: '1ms',
        cpuPerKiB: '0s',
        criticalPath: '50us',
        workers: 1,
      })}\n${NO_IDLE_CPU}`,
    });
    const waits: number[] = [];
    const utilisations: number[] = [];
    for (let rep = 0; rep < s.simulation.replications; rep++) {
      const m = runReplication(s, 'sidecar', rep);
      expect(m.proxies.length).toBe(1);
      const p = m.proxies[0]!;
      // No connection set-up after the warm-up: every measured request costs exactly D. CPU counts the
      // busy time inside the window, requests those starting in it: they differ by at most the requests
      // straddling the window's two edges (one worker: one at each edge).
      expect(Math.abs(p.cpu * m.window - p.requests * 1e-3)).toBeLessThanOrEqual(2e-3 + 1e-12);
      waits.push(p.meanWait);
      utilisations.push(p.utilisation);
    }
    const truth = md1Wait(800, 1e-3);
    expect(truth).toBeCloseTo(2e-3, 12);
    const ci = confidenceInterval(waits);
    expect(truth).toBeGreaterThanOrEqual(ci.lo);
    expect(truth).toBeLessThanOrEqual(ci.hi);
    expect(ci.half).toBeLessThan(0.1 * truth);
    const u = confidenceInterval(utilisations);
    expect(0.8).toBeGreaterThanOrEqual(u.lo);
    expect(0.8).toBeLessThanOrEqual(u.hi);
  });

  it('a two-worker sidecar waits as an M/D/2 ServerQueue of the kernel does (95 % CIs agree)', () => {
    // No closed form for M/D/2; the reference is sim/'s ServerQueue driven by the same model, which
    // test/sim checks against queueing theory. The engine's proxies use their own FIFO recursion.
    const s = handScenario({
      compare: ['sidecar'],
      label: 'sidecar',
      clientMode: 'none',
      serviceTime: '{ constant: 100us }',
      rate: '1600/s',
      arrival: 'poisson',
      connection: KEEPALIVE,
      duration: '12s',
      warmup: '2s',
      replications: 10,
      mesh: constantCost('sidecar', {
        cpuPerRequest: '1ms',
        cpuPerKiB: '0s',
        criticalPath: '50us',
        workers: 2,
      }),
    });
    const waits: number[] = [];
    for (let rep = 0; rep < s.simulation.replications; rep++)
      waits.push(runReplication(s, 'sidecar', rep).proxies[0]!.meanWait);
    const engine = confidenceInterval(waits);
    const kernel = confidenceInterval(
      replicate('md2', 10, (seed) =>
        runQueue(
          {
            servers: 2,
            interarrival: exponential(1 / 1600),
            service: constant(1e-3),
            warmup: 2,
            horizon: 10,
          },
          seed,
        ),
      ).map((r) => r.meanWait),
    );
    expect(Math.abs(engine.mean - kernel.mean)).toBeLessThanOrEqual(Math.hypot(engine.half, kernel.half));
    // Sanity: between M/D/1-like halving of M/M/2 and M/M/2 itself.
    const mm2 = mmcWait(2, 1600, 1000);
    expect(engine.mean).toBeGreaterThan(0.4 * mm2);
    expect(engine.mean).toBeLessThan(mm2);
  });
});
