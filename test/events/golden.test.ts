// Golden results of scenarios/upgrade-day.yaml and scenarios/waypoint-day.yaml (under Istio 1.26 and
// 1.28), rounded to 6 significant digits: a changed output is reviewed as a diff. Regenerate with
// `npx vitest run test/events/golden.test.ts --update`.
import { expect, it } from 'vitest';
import { resultsJson } from '../../src/report/index.ts';
import { applyOverrides, loadScenario } from '../../src/scenario/index.ts';
import { simulate } from '../../src/simulate/index.ts';

it('upgrade-day', async () => {
  const r = simulate(loadScenario('scenarios/upgrade-day.yaml'), { file: 'scenarios/upgrade-day.yaml' });
  await expect(resultsJson(r)).toMatchFileSnapshot('../golden/results/upgrade-day.json');
});

for (const version of ['1.26', '1.28']) {
  it(`waypoint-day under Istio ${version}`, async () => {
    const s = applyOverrides(loadScenario('scenarios/waypoint-day.yaml'), { meshVersion: version });
    const r = simulate(s, { file: 'scenarios/waypoint-day.yaml' });
    await expect(resultsJson(r)).toMatchFileSnapshot(`../golden/results/waypoint-day-${version}.json`);
  });
}
