// Headless rendering: SVG with the expected marks and labels, PNG that is a PNG and identical each time.
import { describe, expect, it } from 'vitest';
import { chartsFor, svgToPng, toSvg } from '../../src/report/charts/index.ts';
import { disruptedResults, fixture, quickstartResults } from './helpers.ts';

const charts = chartsFor(quickstartResults());
const chart = (name: string) => charts.find((c) => c.name === name)!;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe('SVG', () => {
  it('cpu: stacked bars with axis titles, architectures and components', async () => {
    const svg = await toSvg(chart('cpu').spec);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('role-mark');
    expect(svg).toContain('aria-roledescription="bar"');
    for (const label of [
      'CPU (cores)',
      'architecture',
      'none',
      'sidecar',
      'ambient',
      'ztunnel',
      'application',
    ])
      expect(svg).toContain(`>${label}<`);
    expect(svg).toContain('font-family="DejaVu Sans');
    expect(svg).toContain('scenario quickstart, seed 1');
  });

  it('memory is in MiB', async () => {
    expect(await toSvg(chart('memory').spec)).toContain('>memory (MiB)<');
  });

  it('latency: percentiles on a log tail axis, CI rules, the SLO line', async () => {
    const svg = await toSvg(chart('latency').spec);
    expect(svg).toContain('aria-roledescription="rule mark"');
    for (const label of ['50 %', '90 %', '99 %', '99.9 %', 'percentile (log tail axis)', 'latency (ms)'])
      expect(svg).toContain(`>${label}<`);
    // quickstart's web entry point has a p99 objective of 100 ms.
    expect(svg).toMatch(/>p99 SLO \d+ ms</);
  });

  it('latency added: bars around a zero line per percentile, mesh architectures only', async () => {
    const svg = await toSvg(chart('latency-added').spec);
    for (const label of ['p50', 'p99.9', 'added latency (ms)', 'sidecar', 'ambient'])
      expect(svg).toContain(`>${label}<`);
    expect(svg).not.toContain('>none<');
  });

  it('latency-cdf: lines on a log axis', async () => {
    const svg = await toSvg(chart('latency-cdf').spec);
    expect(svg).toContain('aria-roledescription="line mark"');
    expect(svg).toContain('>latency (ms, log scale)<');
  });

  it('timeline: lines per panel and marked events', async () => {
    const svg = await toSvg(chartsFor(disruptedResults()).find((c) => c.name === 'timeline')!.spec);
    expect(svg).toContain('>requests (req/s)<');
    expect(svg).toContain('>mesh CPU (cores)<');
    expect(svg).toContain('>mesh component<');
    expect(svg).toContain('>ztunnel upgrade starts<');
  });

  it('cost: savings against sidecar written above the bars', async () => {
    const svg = await toSvg(chartsFor(fixture('cost.json'))[0]!.spec);
    expect(svg).toContain('(saves 15.1% vs sidecar)');
    expect(svg).toContain('>cost (US$ per month)<');
  });

  it('escapes text taken from the results', async () => {
    const r = quickstartResults();
    r.scenario.name = '<b>bold</b> & co';
    const svg = await toSvg(chartsFor(r)[0]!.spec);
    expect(svg).toContain('&lt;b&gt;bold&lt;/b&gt; &amp; co');
    expect(svg).not.toContain('<b>');
  });

  it('is the same whatever was rendered before it', async () => {
    const first = await toSvg(chart('timeline').spec);
    await toSvg(chart('latency').spec);
    expect(await toSvg(chart('timeline').spec)).toBe(first);
  });
});

describe('layout of exported charts', () => {
  const size = (svg: string) => {
    const m = svg.match(/^<svg[^>]* width="(\d+(?:\.\d+)?)" height="(\d+(?:\.\d+)?)"/)!;
    return { width: Number(m[1]), height: Number(m[2]) };
  };

  it('text is measured in DejaVu Sans, not estimated at 0.8 em per character', async () => {
    // 36 characters at 12 px: 221 px in DejaVu Sans; the estimate would be 345 px.
    const { textWidth } = await import('../../src/report/charts/text-metrics.ts');
    expect(textWidth({ fontSize: 12 }, 'latency (ms, mean over replications)')).toBeCloseTo(221.04, 1);
    expect(textWidth({ fontSize: 12, fontWeight: 'bold' }, 'p99')).toBeGreaterThan(
      textWidth({ fontSize: 12 }, 'p99'),
    );
  });

  it('no blank band: every chart is no taller than its plots, titles and axes', async () => {
    // A rotated y title measured too long made the exported latency chart 118 px taller than its
    // parts, with the x axis that far below the bars.
    for (const c of charts) {
      const svg = await toSvg(c.spec);
      const spec = c.spec as {
        height?: number;
        spec?: { height?: number };
        vconcat?: Array<{ height?: number }>;
      };
      const plots = spec.vconcat
        ? spec.vconcat.reduce((s, p) => s + (p.height ?? 0), 0)
        : (spec.spec?.height ?? spec.height ?? 0);
      const rows = spec.vconcat ? spec.vconcat.length : 1;
      expect(size(svg).height, c.name).toBeLessThan(plots + 110 * rows + 60);
    }
  });
});

describe('PNG', () => {
  it('starts with the PNG signature and is byte-identical when rendered twice', async () => {
    const svg = await toSvg(chart('cpu').spec);
    const a = svgToPng(svg);
    const b = svgToPng(await toSvg(chart('cpu').spec));
    expect([...a.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(a.length).toBeGreaterThan(10_000);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });
});
