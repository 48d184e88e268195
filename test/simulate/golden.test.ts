// Golden results of the bundled scenarios. A changed golden is reviewed as a diff, like any other code
// change: if the model changed on purpose, regenerate with
//   npx vitest run test/simulate/golden.test.ts --update
// (path first: vitest 4's `-u` takes an optional value and would swallow the path, updating every
// snapshot of the whole suite) and read the diff of test/golden/results/*.json before committing it. Numbers are rounded to 6
// significant digits by resultsJson, so the files are stable across runs and machines.
import { describe, expect, it } from 'vitest';
import { resultsJson } from '../../src/report/index.ts';
import { simulate } from '../../src/simulate/index.ts';
import { loadBundled } from '../helpers/bundled.ts';

/** Short runs: the goldens pin the behaviour, not the statistics (seed as in each file). */
const OVERRIDES = { duration: 5, warmup: 1, replications: 2 } as const;

describe('golden results of the bundled scenarios', () => {
  for (const name of ['quickstart', 'billing', 'three-tier', 'bookinfo'] as const) {
    it(`${name} (duration ${OVERRIDES.duration}s, warm-up ${OVERRIDES.warmup}s, ${OVERRIDES.replications} replications)`, async () => {
      const s = loadBundled(name, OVERRIDES);
      const json = resultsJson(simulate(s, { file: `scenarios/${name}.yaml` }));
      await expect(json).toMatchFileSnapshot(`../golden/results/${name}.json`);
    });
  }
});
