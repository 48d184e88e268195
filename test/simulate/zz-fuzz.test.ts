// Random scenarios combining the modelled features (feature-scenarios.ts): each loads, or is refused with
// positioned issues (a combination the loader rejects, such as an ingress target its gateway is not
// given); each loaded one simulates without throwing in every architecture, and conserves requests:
// offered = completed + failed + in flight, per entry point and replication, and in the results.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError } from '../../src/scenario/index.ts';
import { runReplication, simulate } from '../../src/simulate/index.ts';
import { featureScenario } from './feature-scenarios.ts';

describe('random scenarios with traffic policies, mTLS, passthrough, versions and events', () => {
  it('load or are refused with positions, simulate without throwing and conserve requests', () => {
    let loaded = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), (seed) => {
        let s: ReturnType<typeof parseScenario>;
        try {
          s = parseScenario(featureScenario(seed), `features-${seed}.json`);
        } catch (e) {
          if (!(e instanceof ScenarioError)) throw e;
          for (const issue of e.issues) expect(issue.path.length).toBeGreaterThan(0);
          return;
        }
        loaded++;
        const results = simulate(s);
        for (const arch of s.compare) {
          const m = runReplication(s, arch, 0);
          for (const e of m.entries) expect(e.completed + e.failed + e.inFlight).toBe(e.offered);
        }
        for (const a of results.architectures)
          for (const e of a.entryPoints)
            expect(e.completed.mean + e.failed.mean + e.inFlight.mean).toBeCloseTo(e.offered.mean, 9);
      }),
      { numRuns: 200, seed: 777 },
    );
    // Most draws are valid: the property is about simulation, not only the loader.
    expect(loaded).toBeGreaterThan(30);
  });
});
