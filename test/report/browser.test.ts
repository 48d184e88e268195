// The written report in a real browser, opened from disk: the headline is on the first screen, every
// chart draws, the page never scrolls sideways (at 1,280 px nor at a phone's 390 px), nothing is fetched,
// nothing is logged as an error under the strict CSP, the hostile description planted in the results
// does not run, and with JavaScript off every figure shows its PNG.
// Chromium is required, not optional: CI installs it (apt-get install chromium), so a missing browser
// fails this test rather than skipping it.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReport } from '../../src/report/html/index.ts';
import { CHROMIUM, CHROMIUM_ARGS, evilResults, fixture } from './helpers.ts';

describe('the HTML report in chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshsim-browser-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  beforeAll(async () => {
    const inputs = [evilResults(), fixture('cost.json'), fixture('plan.json'), fixture('calibration.json')];
    await writeReport(inputs, dir);
  }, 120_000);

  it('draws every chart offline, with no errors and no injected script run', async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`).toBe(true);
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
      const names = [
        'latency-added',
        'latency',
        'latency-cdf',
        'timeline',
        'cpu',
        'memory',
        'nodes',
        'cost',
        'plan',
        'calibration',
      ];
      expect(charts).toHaveLength(names.length);
      for (const [i, c] of charts.entries())
        expect(c.id).toMatch(new RegExp(`^chart-[a-z0-9-]+-${names[i]}$`));
      for (const c of charts) {
        expect(c.state, c.id).toBe('rendered');
        expect(c.marks, c.id).toBeGreaterThan(0);
      }
      expect(errors).toEqual([]);
      const headline = await page.locator('.first-screen .headline').first().textContent();
      expect(headline).toMatch(/ambient vs sidecar: [+−]\S+ % mesh CPU/);
      expect(await page.locator('.first-screen table.slo').count()).toBe(1);
      const overflow = () =>
        page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      await page.setViewportSize({ width: 1280, height: 900 });
      expect(await overflow()).toBe(0);
      await page.setViewportSize({ width: 390, height: 800 });
      expect(await overflow()).toBe(0);
      expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
      expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
      expect(await page.locator('.description').first().textContent()).toContain(
        '<script>window.__pwned=1</script>',
      );
    } finally {
      await browser.close();
    }
  });

  it('shows every chart as its PNG when JavaScript is off', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage({ javaScriptEnabled: false });
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      await page.goto(pathToFileURL(join(dir, 'index.html')).href);
      await page.waitForLoadState('load');
      const images = await page.$$eval('.chart img', (els) =>
        els.map((e) => ({ src: e.getAttribute('src'), w: (e as HTMLImageElement).naturalWidth })),
      );
      expect(images).toHaveLength(10);
      for (const i of images) expect(i.w, String(i.src)).toBeGreaterThan(100);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
