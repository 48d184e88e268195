// Golden results of scenarios/upgrade-day.yaml and scenarios/waypoint-day.yaml (under Istio 1.26 and
// 1.28), rounded to 6 significant digits: a changed output is reviewed as a diff. Regenerate with
// `npx vitest run test/events/golden.test.ts --update`. The settings are pinned here (the ones the files
// shipped with before they were lengthened for significant differences): the goldens pin behaviour,
// and the test budget stays what it was.
import { expect, it } from 'vitest';
import { resultsJson } from '../../src/report/index.ts';
import { applyOverrides, loadScenario } from '../../src/scenario/index.ts';
import { simulate } from '../../src/simulate/index.ts';

const UPGRADE_DAY = { duration: 240, warmup: 10, replications: 2 } as const;
const WAYPOINT_DAY = { duration: 150, warmup: 10, replications: 2 } as const;

it('upgrade-day', async () => {
  const s = applyOverrides(loadScenario('scenarios/upgrade-day.yaml'), UPGRADE_DAY);
  const r = simulate(s, { file: 'scenarios/upgrade-day.yaml' });
  await expect(resultsJson(r)).toMatchFileSnapshot('../golden/results/upgrade-day.json');
});

for (const version of ['1.26', '1.28']) {
  it(`waypoint-day under Istio ${version}`, async () => {
    const s = applyOverrides(loadScenario('scenarios/waypoint-day.yaml'), {
      ...WAYPOINT_DAY,
      meshVersion: version,
    });
    const r = simulate(s, { file: 'scenarios/waypoint-day.yaml' });
    await expect(resultsJson(r)).toMatchFileSnapshot(`../golden/results/waypoint-day-${version}.json`);
  });
}
