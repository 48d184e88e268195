// Closed-loop clients (replication/closed-loop.ts) against hand calculations: with N connections and no
// think time, Little's law gives throughput X = N / R exactly (every connection always has one request
// in flight); with think time Z, X = N / (R + Z); with a rate cap below capacity, X is the cap.
import { describe, expect, it } from 'vitest';
import { parseScenario, type Scenario } from '../../src/scenario/index.ts';
import { simulateArchitecture } from '../../src/simulate/index.ts';
import { type HandOptions, handScenarioText, runEngine } from '../helpers/scenario-text.ts';

const D = 10e-6; // same-node one-way delay of the hand scenario

function loopScenario(loop: string, o: HandOptions = {}): Scenario {
  const text = handScenarioText({ duration: '20s', warmup: '2s', ...o }).replace(
    / {4}rate: .*\n {4}arrival: .*\n/,
    `    closedLoop: ${loop}\n`,
  );
  return parseScenario(text, 'test.yaml');
}

describe('closed-loop clients', () => {
  it("N connections and no think time: throughput = N / latency (Little's law)", () => {
    const s = loopScenario('{ connections: 8 }', { serviceTime: '{ exponential: { mean: 5ms } }' });
    const r = simulateArchitecture(s, 'none');
    const e = r.entryPoints[0]!;
    const x = e.throughput.mean;
    expect(x).toBeGreaterThan(0);
    expect(x).toBeCloseTo(8 / e.latency.mean.mean, -1);
    expect(Math.abs(x - 8 / e.latency.mean.mean) / x).toBeLessThan(0.01);
    // Ample workers: nothing queues, so the latency is the service time plus the links.
    expect(Math.abs(e.latency.mean.mean - (5e-3 + 2 * D)) / 5e-3).toBeLessThan(0.03);
  });

  it('a single-worker server of service time S: throughput 1/S, latency N S', () => {
    const s = loopScenario('{ connections: 4 }', { serviceTime: '{ constant: 10ms }', concurrency: 1 });
    const r = simulateArchitecture(s, 'none');
    const e = r.entryPoints[0]!;
    expect(e.throughput.mean).toBeGreaterThan(99);
    expect(e.throughput.mean).toBeLessThan(100.5);
    expect(e.latency.mean.mean).toBeGreaterThan(4 * 10e-3 * 0.98);
    expect(e.latency.mean.mean).toBeLessThan(4 * 10e-3 * 1.02);
    // The achieved throughput is what was offered: a closed loop sends only what comes back.
    expect(Math.abs(e.offered.mean / 18 - e.throughput.mean)).toBeLessThan(1);
  });

  it('think time Z: throughput = N / (R + Z)', () => {
    const s = loopScenario('{ connections: 10, thinkTime: { constant: 20ms } }', {
      serviceTime: '{ constant: 5ms }',
    });
    const e = simulateArchitecture(s, 'none').entryPoints[0]!;
    // R is measured: ten 5 ms CPU bursts at once share the node's cores, so R can exceed 5 ms + links.
    const r = e.latency.mean.mean;
    expect(r).toBeGreaterThanOrEqual(5e-3 + 2 * D);
    const truth = 10 / (r + 20e-3);
    expect(Math.abs(e.throughput.mean - truth) / truth).toBeLessThan(0.01);
  });

  it('a rate cap below capacity is the throughput; above capacity the server is', () => {
    const capped = loopScenario('{ connections: 16, rateCap: 200/s }', { serviceTime: '{ constant: 5ms }' });
    const e = simulateArchitecture(capped, 'none').entryPoints[0]!;
    expect(Math.abs(e.throughput.mean - 200) / 200).toBeLessThan(0.01);
    const tooHigh = loopScenario('{ connections: 4, rateCap: 1000/s }', {
      serviceTime: '{ constant: 10ms }',
      concurrency: 1,
    });
    const f = simulateArchitecture(tooHigh, 'none').entryPoints[0]!;
    expect(f.throughput.mean).toBeLessThan(100.5);
    expect(f.throughput.mean).toBeGreaterThan(99);
  });

  it('keep-alive connections are opened once; a new connection per request opens one per request', () => {
    const opened = (connection: string) => {
      const s = loopScenario('{ connections: 4 }', {
        compare: ['sidecar'],
        label: 'sidecar',
        connection,
        duration: '1s',
        warmup: '0s',
      });
      const { engine, world } = runEngine(s, 'sidecar');
      const sidecar = world.proxyName.findIndex((n) => n.includes('api'));
      return { conns: engine.proxies.newConnectionsOf(sidecar), calls: engine.recorder.edgeCalls[0]! };
    };
    const keep = opened('keepalive');
    // Four connections of one generator pod, all busy at once and each reused: one accept each at the
    // server's sidecar.
    expect(keep.conns).toBe(4);
    expect(keep.calls).toBeGreaterThan(490);
    const churn = opened('per-request');
    expect(churn.conns).toBe(churn.calls);
  });

  it('is deterministic and rejects an open-loop rate next to closedLoop', () => {
    const s = loopScenario('{ connections: 3, thinkTime: { exponential: { mean: 2ms } } }');
    const a = JSON.stringify(simulateArchitecture(s, 'none').entryPoints);
    expect(JSON.stringify(simulateArchitecture(s, 'none').entryPoints)).toBe(a);
    const text = handScenarioText().replace(/ {4}arrival: .*\n/, '    closedLoop: { connections: 2 }\n');
    expect(() => parseScenario(text, 'test.yaml')).toThrow(/closedLoop\.rateCap/);
  });
});
