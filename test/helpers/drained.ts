// A replication run to the end and then drained, so that every request is accounted for.
import { expect } from 'vitest';
import { place } from '../../src/cluster/index.ts';
import type { Architecture, Scenario } from '../../src/scenario/index.ts';
import { buildWorld, Replication } from '../../src/simulate/index.ts';

/** Runs a replication to the end and then drains every call still in flight (arrivals stop at duration). */
export function drained(s: Scenario, arch: Architecture, seed = 'drain'): Replication {
  const w = buildWorld(s, place(s, arch));
  const e = new Replication(w, seed);
  e.run();
  e.cal.run();
  expect(e.calls.live).toBe(0);
  return e;
}
