import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { reportCommand } from '../../src/cli/commands/report.ts';
import { UsageError } from '../../src/cli/errors.ts';
import { resultsJson } from '../../src/report/index.ts';
import { fixturePath, quickstartResults } from './helpers.ts';

describe('reportCommand', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshsim-report-cmd-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it.each([
    ['a missing file', () => join(dir, 'nope.json'), /cannot read results file .*nope\.json: no such file/],
    ['a file that is not JSON', () => file('bad.json', '{"schema": '), /is not valid JSON/],
    ['JSON without a meshsim schema', () => file('other.json', '{"a": 1}'), /is not a meshsim results file/],
    [
      'a meshsim file with nothing to chart',
      () => file('empty.json', '{"schema": "meshsim/other/v1"}'),
      /holds nothing meshsim report can chart/,
    ],
  ])('rejects %s with a UsageError', async (_label, path, message) => {
    const p = path();
    const run = reportCommand({ files: [p], out: join(dir, 'out-bad') });
    await expect(run).rejects.toBeInstanceOf(UsageError);
    await expect(reportCommand({ files: [p], out: join(dir, 'out-bad') })).rejects.toThrow(message);
    expect(existsSync(join(dir, 'out-bad'))).toBe(false);
  });

  it('writes the report of results files and prints the index.html path', async () => {
    const results = file('results.json', resultsJson(quickstartResults()));
    const out = join(dir, 'out');
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await reportCommand({ files: [results, fixturePath('cost.json')], out })).toBe(0);
      expect(write).toHaveBeenCalledWith(`${join(out, 'index.html')}\n`);
    } finally {
      write.mockRestore();
    }
    const files = readdirSync(out).sort();
    expect(files).toContain('index.html');
    for (const stem of ['quickstart-cpu', 'quickstart-timeline', 'billing-cost'])
      for (const ext of ['vl.json', 'svg', 'png']) expect(files).toContain(`${stem}.${ext}`);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('Monthly cost per architecture');
  });
});
