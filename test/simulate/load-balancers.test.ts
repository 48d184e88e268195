// A DestinationRule's loadBalancer (replication/balancing.ts) against queueing theory and by hand. One
// web pod's sidecar spreads 200 calls/s over 4 api pods that serve one request at a time, exponential
// 10 ms (mu = 100/s), so each pod is a single-server queue at utilisation 0.5:
//  - RANDOM splits the Poisson stream into 4 Poisson streams: M/M/1, mean wait rho / (mu - lambda) = 10 ms;
//  - ROUND_ROBIN gives each pod every 4th arrival: Erlang-4 gaps, E4/M/1, mean wait sigma / (mu (1 -
//    sigma)) with sigma = (4 lambda / (4 lambda + mu (1 - sigma)))^4, 0.302: 4.3 ms;
//  - LEAST_REQUEST (Istio's default), the less busy of two random pods, waits about as round robin here
//    (4.45 ms; RANDOM 10.55 ms, ROUND_ROBIN 4.14 ms on the same run), far below RANDOM.
import { describe, expect, it } from 'vitest';
import { place } from '../../src/cluster/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { buildWorld, Replication } from '../../src/simulate/index.ts';

const text = (lb: string, concurrency = 1, web = 1, rate = 200, duration = 61) => `
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: balancers }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 4 }]
namespaces: [{ name: default, labels: { istio-injection: enabled } }]
services:
  - { name: web, replicas: ${web}, serviceTime: 0.1ms, calls: [{ to: api }] }
  - name: api
    replicas: 4
    concurrency: ${concurrency}
    serviceTime: { exponential: { mean: 10ms } }
    cpuFraction: 0.01
${lb ? `    trafficPolicy: { loadBalancer: ${lb} }\n` : ''}traffic: [{ name: load, to: web, rate: ${rate}/s, arrival: poisson }]
compare: [sidecar]
simulation: { duration: ${duration}s, warmup: 1s, replications: 1 }
`;

function rig(lb: string, concurrency = 1, web = 1, rate = 200, duration = 61) {
  const s = parseScenario(text(lb, concurrency, web, rate, duration), 'balancers.yaml');
  return new Replication(buildWorld(s, place(s, 'sidecar')), 'balancers');
}

/** Mean latency of web's calls to api. */
function meanCall(lb: string, concurrency = 1): number {
  const e = rig(lb, concurrency);
  e.run();
  const edge = e.w.edges.findIndex((x) => x.from >= 0);
  expect(e.recorder.edgeCalls[edge]).toBeGreaterThan(11_000);
  return e.recorder.edgeHist[edge]!.mean;
}

describe('loadBalancer.simple', () => {
  // The same calls with room for all of them at every pod: their time without waiting.
  const free = meanCall('{ simple: RANDOM }', 1000);

  it('RANDOM: each pod waits as M/M/1 at rho 0.5 (10 ms)', () => {
    const wait = meanCall('{ simple: RANDOM }') - free;
    expect(wait).toBeGreaterThan(0.0085);
    expect(wait).toBeLessThan(0.0115);
  });

  it('ROUND_ROBIN: each pod waits as E4/M/1 (4.3 ms)', () => {
    let sigma = 0.5;
    for (let i = 0; i < 200; i++) sigma = (200 / (200 + 100 * (1 - sigma))) ** 4;
    const theory = sigma / (100 * (1 - sigma));
    expect(theory).toBeCloseTo(0.00433, 4);
    const wait = meanCall('{ simple: ROUND_ROBIN }') - free;
    expect(wait).toBeGreaterThan(theory - 0.001);
    expect(wait).toBeLessThan(theory + 0.001);
  });

  it('LEAST_REQUEST, unset and LEAST_CONN alike, waits far less than RANDOM', () => {
    const lr = meanCall('{ simple: LEAST_REQUEST }') - free;
    expect(meanCall('')).toBe(lr + free);
    expect(meanCall('{ simple: LEAST_CONN }')).toBe(lr + free);
    expect(lr).toBeGreaterThan(0.003);
    expect(lr).toBeLessThan(0.006);
  });
});

describe('loadBalancer.consistentHash', () => {
  const pick = (lb: string, web = 8) => {
    const e = rig(lb, 1, web, 10, 2);
    const w = e.w;
    const api = w.services.findIndex((x) => x.key === 'default/api');
    const pods = [...w.placement.byOwner.get('default/api')!];
    const callers = [...w.placement.byOwner.get('default/web')!];
    const at = (src: number, key: number, list = pods, tried = -1) =>
      e.balancing.pick(list, e.balancing.block(w.podProxy[src]!, api), key, 0, tried, -1, api, src);
    return { at, pods, callers };
  };

  it('useSourceIp: every request of a caller pod goes to one pod; a pod that goes moves only its callers', () => {
    const { at, pods, callers } = pick('{ consistentHash: { useSourceIp: true } }', 40);
    const home = callers.map((src) => at(src, 1));
    for (const [i, src] of callers.entries())
      for (let key = 2; key < 20; key++) expect(at(src, key)).toBe(home[i]);
    // 40 callers over 4 pods: each pod is some caller's home.
    expect(new Set(home).size).toBe(4);
    // Without pods[0], its callers go elsewhere and every other caller stays.
    const rest = pods.slice(1);
    for (const [i, src] of callers.entries()) {
      const now = at(src, 1, rest);
      if (home[i] === pods[0]) expect(now).not.toBe(pods[0]);
      else expect(now).toBe(home[i]);
    }
  });

  it('a header, cookie or query parameter: each request its own key, the same host for the same key', () => {
    for (const key of [
      '{ httpHeaderName: x-user }',
      '{ httpCookie: { name: user } }',
      '{ httpQueryParameterName: u }',
    ]) {
      const { at, pods, callers } = pick(`{ consistentHash: ${key} }`, 1);
      const counts = new Map<number, number>();
      for (let k = 0; k < 4000; k++) {
        const dst = at(callers[0]!, k);
        expect(at(callers[0]!, k)).toBe(dst);
        counts.set(dst, (counts.get(dst) ?? 0) + 1);
      }
      // Spread evenly: 1,000 each, binomial sd 27.
      for (const p of pods) expect(Math.abs(counts.get(p)! - 1000)).toBeLessThan(120);
      // A retry's host predicate walks on to another pod, the same one every time.
      const first = at(callers[0]!, 7);
      const next = at(callers[0]!, 7, pods, first);
      expect(next).not.toBe(first);
      expect(at(callers[0]!, 7, pods, first)).toBe(next);
    }
  });

  it('ROUND_ROBIN takes the pods in turn', () => {
    const { at, pods, callers } = pick('{ simple: ROUND_ROBIN }', 1);
    const seq = Array.from({ length: 8 }, (_, k) => at(callers[0]!, k));
    const start = pods.indexOf(seq[0]!);
    expect(seq).toEqual(Array.from({ length: 8 }, (_, k) => pods[(start + k) % 4]));
  });
});

describe('loadBalancer input', () => {
  const error = (lb: string): string => {
    try {
      parseScenario(text(lb), 'balancers.yaml');
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error('parsed');
  };

  it('refuses what meshsim does not simulate and what Istio refuses, at its line', () => {
    expect(error('{ simple: PASSTHROUGH }')).toContain('balancers.yaml:15:');
    expect(error('{ simple: PASSTHROUGH }')).toContain('ORIGINAL_DST');
    expect(error('{ simple: RANDOM, consistentHash: { useSourceIp: true } }')).toContain(
      "either 'simple' or 'consistentHash'",
    );
    expect(error('{ consistentHash: { httpHeaderName: a, useSourceIp: true } }')).toContain('exactly one of');
    expect(error('{ simple: ROUND_ROBBIN }')).toContain('ROUND_ROBIN');
  });
});
