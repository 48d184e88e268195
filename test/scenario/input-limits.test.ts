// Scenario files that cost more to read than they hold: alias bombs, deep nesting, special files, and
// syntax errors at the end of input. Each must be an input error with a position, bounded in memory.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, parseScenario, ScenarioError, type ScenarioIssue } from '../../src/scenario/index.ts';
import { MAX_DEPTH } from '../../src/scenario/input-limits.ts';

function issuesOf(read: () => unknown): ScenarioIssue[] {
  try {
    read();
  } catch (e) {
    if (e instanceof ScenarioError) return e.issues;
    throw e;
  }
  throw new Error('expected a ScenarioError');
}
const parseIssues = (text: string) => issuesOf(() => parseScenario(text, 't.yaml'));

const LAUGHS = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
for (const [i, k] of ['b', 'c', 'd', 'e', 'f', 'g'].entries()) {
  const prev = 'abcdefg'[i];
  LAUGHS.push(`${k}: &${k} [${Array(9).fill(`*${prev}`).join(',')}]`);
}

describe('alias bombs are input errors, bounded in memory', () => {
  it('billion laughs (9^7 values) is refused with a position and the expansion it would have', () => {
    const [issue] = parseIssues(LAUGHS.join('\n'));
    expect(issue?.message).toMatch(/aliases that expand to 5,978,710 values/);
    expect(issue?.line).toBe(7);
  });

  it('one 4 MB string aliased 999 times is refused before it is expanded', () => {
    const big = 'x'.repeat(4_000_000);
    const text = `metadata: { name: a, description: &s "${big}" }\nx: [${Array(999).fill('*s').join(',')}]\n`;
    const before = process.memoryUsage().rss;
    const [issue] = parseIssues(text);
    expect(issue?.message).toMatch(/3,996,000,000 characters/);
    // Expanding it would take about 8 GB; refusing it takes a few copies of the text at most.
    expect(process.memoryUsage().rss - before).toBeLessThan(1e9);
  });

  it('a few aliases of a small anchor are still read', () => {
    const text = 'a: &x { k: 1 }\nb: *x\nc: *x\n';
    // Not a scenario, so the schema complains, but not about the aliases.
    expect(parseIssues(text).every((i) => !/alias/.test(i.message))).toBe(true);
  });
});

describe('nesting deeper than the reader can follow', () => {
  it('flow brackets 20,000 deep: refused by a scan, never a stack overflow', () => {
    const [issue] = parseIssues(`a: ${'['.repeat(20_000)}${']'.repeat(20_000)}`);
    expect(issue?.message).toMatch(new RegExp(`nested more than ${MAX_DEPTH} levels`));
    expect(issue?.line).toBe(1);
    expect(issue?.column).toBe(3 + MAX_DEPTH + 1);
  });

  it('brackets inside quotes and comments do not count', () => {
    const text = `a: "${'['.repeat(200)}"\n# ${'{'.repeat(200)}\n`;
    expect(parseIssues(text).every((i) => !/nested/.test(i.message))).toBe(true);
  });

  it('block maps 3,000 levels deep: an input error that says so', () => {
    let text = 'metadata:\n';
    for (let i = 0; i < 3000; i++) text += `${'  '.repeat(i + 1)}k${i}:\n`;
    const issues = parseIssues(text);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.every((i) => /nested more than 64 levels/.test(i.message))).toBe(true);
  });

  it('block maps 100 levels deep (within the parser) are refused by the depth walk', () => {
    let text = 'metadata:\n';
    for (let i = 0; i < 100; i++) text += `${'  '.repeat(i + 1)}k${i}:\n`;
    text += `${'  '.repeat(101)}v: 1\n`;
    const [issue] = parseIssues(text);
    expect(issue?.message).toMatch(/nested more than 64 levels/);
  });
});

describe('syntax errors point at a line of the file', () => {
  const cases = ['a: [1, 2', 'key: value\nkey2: [a, b\n\n\n', 'a: {b: 1\n', '"a\nb', 'a: "open\n\n'];
  for (const text of cases) {
    it(JSON.stringify(text), () => {
      const lineLengths = text.split('\n').map((l) => l.length);
      for (const i of parseIssues(text)) {
        expect(i.line).toBeGreaterThanOrEqual(1);
        const len = lineLengths[(i.line ?? 1) - 1];
        expect(len, `line ${i.line} exists`).toBeDefined();
        expect(len, `line ${i.line} has content`).toBeGreaterThan(0);
        expect(i.column).toBeGreaterThanOrEqual(1);
        expect(i.column).toBeLessThanOrEqual(len ?? 0);
      }
    });
  }
});

describe('files that are not scenario files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshsim-limits-'));
  it('a directory, a device and a missing file are named input errors', () => {
    expect(issuesOf(() => loadScenario(dir))[0]?.message).toMatch(/a directory/);
    expect(issuesOf(() => loadScenario('/dev/zero'))[0]?.message).toMatch(/a device/);
    expect(issuesOf(() => loadScenario(join(dir, 'none.yaml')))[0]?.message).toMatch(/does not exist/);
  });
  it('a file over the size limit is refused without reading it', () => {
    const f = join(dir, 'big.yaml');
    writeFileSync(f, Buffer.alloc(33 * 1024 * 1024, 0x20));
    expect(issuesOf(() => loadScenario(f))[0]?.message).toMatch(/at most 33,554,432 bytes/);
  });
});
