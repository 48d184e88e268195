// The written report in a real browser, opened from disk: every chart draws, nothing is fetched, nothing
// is logged as an error, and the hostile description planted in the results does not run.
// Chromium is required, not optional: CI installs it (apt-get install chromium), so a missing browser
// fails this test rather than skipping it.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { writeReport } from '../../src/report/html/index.ts';
import { CHROMIUM, CHROMIUM_ARGS, evilResults, fixture } from './helpers.ts';

describe('the HTML report in chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshsim-browser-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('draws every chart offline, with no errors and no injected script run', async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`).toBe(true);
    const inputs = [evilResults(), fixture('cost.json'), fixture('plan.json'), fixture('calibration.json')];
    await writeReport(inputs, dir);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(join(dir, 'index.html')).href);
      await page.waitForSelector('body[data-charts="done"]', { timeout: 60_000 });

      const charts = await page.$$eval('.chart', (els) =>
        els.map((e) => ({
          id: e.id,
          state: (e as HTMLElement).dataset.state,
          marks: e.querySelectorAll('svg .role-mark').length,
        })),
      );
      // The hostile scenario name reaches ids only as a slug of [a-z0-9-].
      const names = ['cpu', 'memory', 'latency', 'latency-cdf', 'timeline', 'cost', 'plan', 'calibration'];
      expect(charts).toHaveLength(names.length);
      for (const [i, c] of charts.entries())
        expect(c.id).toMatch(new RegExp(`^chart-[a-z0-9-]+-${names[i]}$`));
      for (const c of charts) {
        expect(c.state, c.id).toBe('rendered');
        expect(c.marks, c.id).toBeGreaterThan(0);
      }
      expect(errors).toEqual([]);
      expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
      expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
      expect(await page.locator('.description').first().textContent()).toContain(
        '<script>window.__pwned=1</script>',
      );
    } finally {
      await browser.close();
    }
  });
});
