// Text from results and scenarios is shown, never interpreted: a hostile description stays text in the
// page and cannot close the <script> element that carries the chart specs.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { escapeHtml, jsonForScript, writeReport } from '../../src/report/html/index.ts';
import { EVIL, evilResults } from './helpers.ts';

describe('escapeHtml', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
});

describe('jsonForScript', () => {
  it('cannot end a script element and parses back to the same value', () => {
    const value = { d: '</script><!-- <script>', amp: 'a & b', ls: 'x\u2028y' };
    const s = jsonForScript(value);
    expect(s).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(s)).toEqual(value);
  });
});

describe('the HTML report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshsim-escape-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('shows hostile text escaped and runs none of it', async () => {
    await writeReport([evilResults()], dir);
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    expect(html).not.toContain('<script>window.__pwned');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain(
      '&lt;script&gt;window.__pwned=1&lt;/script&gt;&lt;img src=x onerror=&quot;window.__pwned=2&quot;&gt;',
    );
    // Only our own script elements: the specs' JSON and the four inlined scripts.
    expect(html.match(/<script/g)).toHaveLength(5);
    expect(html.match(/<\/script>/g)).toHaveLength(5);
    expect(html).toContain('http-equiv="Content-Security-Policy"');
    expect(EVIL).toContain('<script>');
  });
});
