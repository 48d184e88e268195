// Golden results of scenarios/upgrade-day.yaml (rounded to 6 significant digits): a changed output is
// reviewed as a diff. Regenerate with `npx vitest run test/events/golden.test.ts --update`.
import { expect, it } from 'vitest';
import { resultsJson } from '../../src/report/index.ts';
import { loadScenario } from '../../src/scenario/index.ts';
import { simulate } from '../../src/simulate/index.ts';

it('upgrade-day', async () => {
  const r = simulate(loadScenario('scenarios/upgrade-day.yaml'), { file: 'scenarios/upgrade-day.yaml' });
  await expect(resultsJson(r)).toMatchFileSnapshot('../golden/results/upgrade-day.json');
});
