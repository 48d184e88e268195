// The text tables `meshsim run` prints: resources, cost and, when the scenario has events, disruption.
import { describe, expect, it } from 'vitest';
import { attachCost, costTable } from '../../src/cost/index.ts';
import { comparisonTable, disruptionTable } from '../../src/report/index.ts';
import { applyOverrides, loadScenario } from '../../src/scenario/index.ts';
import { simulate } from '../../src/simulate/index.ts';

describe('run tables', () => {
  const s = applyOverrides(loadScenario('scenarios/upgrade-day.yaml'), { replications: 1 });
  const r = attachCost(s, simulate(s));

  it('the comparison table has a column per architecture and aligned rows', () => {
    const lines = comparisonTable(r).split('\n');
    expect(lines[2]).toMatch(/none\s+sidecar\s+ambient$/);
    const width = lines[2]!.length;
    for (const l of lines.slice(3).filter((x) => /\d$/.test(x))) expect(l.length).toBe(width);
    expect(lines.some((l) => l.startsWith('CPU used (cores, mean)'))).toBe(true);
    expect(lines.some((l) => l.startsWith('  p99'))).toBe(true);
  });

  it('the disruption table shows what the upgrade did in each architecture', () => {
    const t = disruptionTable(r);
    expect(t).toMatch(/^Event at 60 s: upgrade dataplane \(rolling\)\s+none\s+sidecar\s+ambient/m);
    const row = (name: string) =>
      t
        .split('\n')
        .find((l) => l.trimStart().startsWith(name))!
        .trim()
        .split(/\s{2,}/);
    // Sidecar mode restarts all 13 injected pods; ambient restarts none but replaces 4 ztunnels.
    expect(row('pods restarted').slice(1)).toEqual(['0', '13', '0']);
    expect(row('DaemonSet pods replaced').slice(1)).toEqual(['0', '0', '4']);
    expect(t).toContain('ambient: ztunnel DaemonSet rolling update over 4 nodes');
  });

  it('no events, no disruption table; the cost table lists every architecture', () => {
    const q = applyOverrides(loadScenario('scenarios/quickstart.yaml'), { replications: 1, duration: 4 });
    const rq = attachCost(q, simulate(q));
    expect(disruptionTable(rq)).toBe('');
    const cost = costTable(rq.cost).split('\n');
    expect(cost[0]).toMatch(/architecture\s+nodes\s+\$\/month/);
    expect(cost.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['none', 'sidecar', 'ambient']);
  });
});
