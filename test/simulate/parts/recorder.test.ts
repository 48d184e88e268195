// Recorder: time bins, measured counters, latency per bin and the p99 of a window.
import { describe, expect, it } from 'vitest';
import { CPU_APP } from '../../../src/simulate/replication/kinds.ts';
import { Recorder } from '../../../src/simulate/replication/recorder.ts';
import { handWorld } from './hand-world.ts';

describe('Recorder', () => {
  it('bins by time step, the last bin holding everything at or past the end', () => {
    const r = new Recorder(handWorld({ duration: 10, timeStep: 2 }));
    expect(r.bins).toBe(5);
    expect([r.bin(0), r.bin(1.99), r.bin(2), r.bin(9.9), r.bin(10), r.bin(50)]).toEqual([0, 0, 1, 4, 4, 4]);
  });

  it('counts an entry request only when measured, and every one in the series', () => {
    const r = new Recorder(handWorld({ duration: 10, timeStep: 1 }));
    r.arrival(0, false, 0.5);
    r.arrival(0, true, 1.5);
    r.finished(0, -1, true, false, 0.01, 1.51);
    r.finished(0, -1, false, true, 0.01, 0.6);
    expect([r.entryOffered[0], r.entryCompleted[0], r.entryFailed[0]]).toEqual([1, 1, 0]);
    expect([r.arrivalBins[0], r.arrivalBins[1], r.errorBins[0]]).toEqual([1, 1, 1]);
    expect(r.requestsFailed).toBe(1);
    expect(r.edgeHist[0]!.count).toBe(1);
    r.timedOut(0, -1, true, 2.5);
    expect([r.entryFailed[0], r.entryTimedOut[0], r.errorBins[2]]).toEqual([1, 1, 1]);
    r.retried(0, true, 3);
    expect([r.requestsRetried, r.edgeRetries[0], r.retryBins[3]]).toEqual([1, 1, 1]);
  });

  it('p99 of the entry latencies recorded in a window; null when none', () => {
    const r = new Recorder(handWorld({ duration: 10, timeStep: 1 }));
    for (let i = 0; i < 200; i++) r.finished(0, -1, true, false, i < 199 ? 0.01 : 1, 4.5);
    expect(r.p99Between(0, 4)).toBeNull();
    expect(r.p99Between(4, 5)).toBeCloseTo(0.01, 2);
  });

  it('bytes, CPU per bin and resets by service', () => {
    const r = new Recorder(handWorld({ duration: 10, timeStep: 1 }));
    r.bytes(100, false);
    r.bytes(50, true);
    expect([r.totalBytes, r.crossZoneBytes]).toEqual([150, 50]);
    r.cpu(CPU_APP, 2.5, 0.25);
    expect(r.cpuBins[CPU_APP]![2]).toBe(0.25);
    expect(r.resetsByServiceKey()).toEqual({});
    r.connectionReset(0, 3);
    expect(r.resetsByServiceKey()).toEqual({ 'shop/api': 1 });
    expect(r.resetBins[3]).toBe(1);
  });
});
