// writeReport's files: the same results always give byte-identical files (no dates, no random ids),
// and a .vl.json file alone redraws its chart (data inlined).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toSvg } from '../../src/report/charts/index.ts';
import { writeReport } from '../../src/report/html/index.ts';
import { fixture, quickstartResults } from './helpers.ts';

describe('writeReport', () => {
  const root = mkdtempSync(join(tmpdir(), 'meshsim-write-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('writes identical files for identical inputs', async () => {
    const inputs = [quickstartResults(), fixture('calibration.json')];
    const a = await writeReport(inputs, join(root, 'a'));
    const b = await writeReport(inputs, join(root, 'b'));
    expect(a.files.map((f) => basename(f))).toEqual(b.files.map((f) => basename(f)));
    expect(a.files.map((f) => basename(f))).toContain('index.html');
    expect(readdirSync(join(root, 'a')).sort()).toEqual(a.files.map((f) => basename(f)).sort());
    for (const f of readdirSync(join(root, 'a')))
      expect(readFileSync(join(root, 'a', f)).equals(readFileSync(join(root, 'b', f))), f).toBe(true);
  });

  it('writes specs that redraw on their own, and a page with the summary and sources', async () => {
    const dir = join(root, 'c');
    await writeReport([quickstartResults()], dir);
    const spec = JSON.parse(readFileSync(join(dir, 'latency.vl.json'), 'utf8'));
    expect(spec.data.values.length).toBeGreaterThan(0);
    expect(await toSvg(spec)).toBe(readFileSync(join(dir, 'latency.svg'), 'utf8'));
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    for (const text of [
      'Three-node shop',
      'CPU requested (cores)',
      'web p99 (ms)',
      'Every change between architectures',
      'Headline',
      'Latency objectives',
      'Assumptions',
      'https://istio.io/latest/docs/ops/deployment/performance-and-scalability/',
    ])
      expect(html).toContain(text);
    expect(html).not.toMatch(/<script[^>]*\bsrc=/);
    expect(html).not.toMatch(/<link\b/);
  });
});
