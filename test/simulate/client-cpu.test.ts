// Load generators spend CPU on their node (replication/client-cpu.ts), against hand calculations: a
// client whose container may use L cores and spends c core-seconds per request sends at most L / c
// requests per second; on an idle node a request's latency grows by exactly c (it leaves once its CPU is
// done, and its latency counts from when it was meant to be sent); an open-loop client that cannot keep
// up sends late and its requests' latencies show it (no coordinated omission).
import { describe, expect, it } from 'vitest';
import { parseScenario, type Scenario } from '../../src/scenario/index.ts';
import { simulateArchitecture } from '../../src/simulate/index.ts';
import { type HandOptions, handScenarioText } from '../helpers/scenario-text.ts';

const LIMIT = '{ limits: { cpu: 100m, memory: 64Mi } }';

function loopScenario(loop: string, o: HandOptions = {}): Scenario {
  const text = handScenarioText({ duration: '20s', warmup: '2s', ...o }).replace(
    / {4}rate: .*\n {4}arrival: .*\n/,
    `    closedLoop: ${loop}\n`,
  );
  return parseScenario(text, 'test.yaml');
}

const entry = (s: Scenario) => simulateArchitecture(s, 'none').entryPoints[0]!;
const behind = (s: Scenario) =>
  simulateArchitecture(s, 'none').warnings.filter((w) => w.includes('load generators fell behind'));

describe('load generators consume CPU', () => {
  it('a closed loop whose client may use 0.1 core at 1 ms per request sends at most 100/s', () => {
    // Unbounded the 8 connections would send 8 / (1 ms + 1 ms + links), about 4,000/s.
    const e = entry(
      loopScenario('{ connections: 8 }', {
        clientCpu: { perRequest: '1ms', perConnection: '0s' },
        clientResources: LIMIT,
      }),
    );
    const bound = 0.1 / 1e-3;
    expect(e.throughput.mean).toBeLessThanOrEqual(bound * 1.001);
    expect(e.throughput.mean).toBeGreaterThan(bound * 0.98);
    // The client used its whole limit, wanted it all the time, and its quota held it back.
    expect(e.clientCpu.limit).toBeCloseTo(0.1, 9);
    expect(e.clientCpu.used).toBeGreaterThan(0.098);
    expect(e.clientCpu.used).toBeLessThanOrEqual(0.1 + 1e-9);
    expect(e.clientCpu.throttled).toBeGreaterThan(0);
    // Little's law still holds: 8 in flight, each waiting for the client's CPU and then the server.
    expect(Math.abs(e.throughput.mean * e.latency.mean.mean - 8) / 8).toBeLessThan(0.02);
  });

  it('says when a load generator falls behind, and why; not when it keeps up', () => {
    const limited = (o: HandOptions) =>
      handScenarioText({
        clientCpu: { perRequest: '1ms', perConnection: '0s' },
        clientResources: LIMIT,
        ...o,
      });
    const closed = behind(
      loopScenario('{ connections: 8 }', {
        clientCpu: { perRequest: '1ms', perConnection: '0s' },
        clientResources: LIMIT,
      }),
    );
    expect(closed).toHaveLength(1);
    expect(closed[0]).toMatch(/CPU limit throttled them/);
    expect(closed[0]).toMatch(/throughput is what the clients could send/);
    const open = behind(parseScenario(limited({ rate: '200/s', duration: '5s', warmup: '1s' }), 'test.yaml'));
    expect(open).toHaveLength(1);
    expect(open[0]).toMatch(/fewer requests were sent than planned/);
    expect(
      behind(parseScenario(limited({ rate: '50/s', duration: '5s', warmup: '1s' }), 'test.yaml')),
    ).toEqual([]);
  });

  it('the same loop without a limit is bounded by the server, not by its 0.1 core of work', () => {
    const e = entry(
      loopScenario('{ connections: 8 }', { clientCpu: { perRequest: '1ms', perConnection: '0s' } }),
    );
    expect(e.throughput.mean).toBeGreaterThan(1000);
    expect(e.clientCpu.limit).toBeNull();
    expect(e.clientCpu.throttled).toBe(0);
    // Wanted = used = throughput x 1 ms: nothing held the client back on its 8-core node.
    expect(Math.abs(e.clientCpu.used - e.throughput.mean * 1e-3) / e.clientCpu.used).toBeLessThan(0.01);
  });

  it('an idle client adds exactly its CPU per request to the latency', () => {
    const at = (perRequest: string) =>
      entry(
        parseScenario(
          handScenarioText({ rate: '10/s', clientCpu: { perRequest, perConnection: '0s' } }),
          'test.yaml',
        ),
      ).latency.mean.mean;
    expect(Math.abs(at('50us') - at('0s') - 50e-6)).toBeLessThan(1e-9);
  });

  it('a client opening a connection per request pays its connection CPU with each one; a kept one does not', () => {
    const at = (connection: string, perConnection: string) =>
      entry(
        parseScenario(
          handScenarioText({ rate: '10/s', connection, clientCpu: { perRequest: '0s', perConnection } }),
          'test.yaml',
        ),
      ).latency.mean.mean;
    expect(Math.abs(at('per-request', '30us') - at('per-request', '0s') - 30e-6)).toBeLessThan(1e-9);
    // A kept connection is opened once, beside the first request, not in front of it.
    expect(Math.abs(at('keepalive', '30us') - at('keepalive', '0s'))).toBeLessThan(1e-9);
  });

  it('an open loop its client cannot keep up with leaves late, and the latency counts from the plan', () => {
    // 200/s planned, 100/s possible: the backlog grows by 100 requests a second.
    const s = parseScenario(
      handScenarioText({
        rate: '200/s',
        duration: '10s',
        warmup: '1s',
        clientCpu: { perRequest: '1ms', perConnection: '0s' },
        clientResources: LIMIT,
      }),
      'test.yaml',
    );
    const e = entry(s);
    expect(e.offered.mean).toBeCloseTo(9 * 200, -1);
    // The client sends 100/s throughout, first in, first out: the warm-up's second left 100 requests
    // unsent, its first measured second goes to them, so 8 s x 100/s of measured ones complete in 9 s.
    expect(Math.abs(e.throughput.mean - 800 / 9) / (800 / 9)).toBeLessThan(0.01);
    // Those still waiting for the client's CPU at the end are in flight, not lost.
    expect(e.completed.mean + e.inFlight.mean + e.failed.mean).toBe(e.offered.mean);
    // Request k (k = 200 t) leaves at k / 100 s: it waited t for the client. Over the window the mean
    // wait of what completed is a few seconds, not the 1 ms the server takes.
    expect(e.latency.mean.mean).toBeGreaterThan(2);
    expect(e.clientCpu.wanted).toBeGreaterThan(0.19);
    expect(e.clientCpu.used).toBeLessThanOrEqual(0.1 + 1e-9);
  });
});
