// Text -> Scenario: YAML (or JSON) syntax, then the schema, then cross-references; every problem found
// at a stage is reported together, with file:line:col.
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { formatPath, foundExpected, ScenarioError, type ScenarioIssue } from './issues.ts';
import { normalise } from './normalise/index.ts';
import type { PendingIssue } from './pending.ts';
import { SourceMap } from './positions.ts';
import { insideRemoved, withoutRejected } from './repair.ts';
import { expectedText } from './schema/expected.ts';
import { scenarioFile } from './schema/index.ts';
import { suggestion } from './suggest.ts';
import type { Scenario } from './types.ts';
import { fromZod } from './zod-issues.ts';

function position(file: string, source: SourceMap, p: PendingIssue): ScenarioIssue {
  const { found, ...where } = source.locate(p.path, p.atKey);
  const hint = p.candidates && found !== 'nothing' ? suggestion(found, p.candidates) : '';
  return {
    file,
    ...where,
    path: formatPath(p.path),
    found,
    expected: p.expected,
    message: (p.message ?? foundExpected(found, p.expected)) + hint,
  };
}

function byPosition(a: ScenarioIssue, b: ScenarioIssue): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
}

export function parseScenario(text: string, file: string): Scenario {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ScenarioError(
      doc.errors.map((e) => {
        const { line, col } = lines.linePos(e.pos[0]);
        const message = e.message.split('\n')[0] ?? e.message;
        return {
          file,
          line,
          column: col,
          path: '<root>',
          found: 'invalid YAML',
          expected: 'valid YAML',
          message,
        };
      }),
    );
  }
  const source = new SourceMap(doc, lines);
  const data: unknown = doc.toJS({ maxAliasCount: 1000 });
  if (data === null || data === undefined) {
    const expected = 'a scenario (apiVersion: meshsim/v1alpha1, kind: Scenario, ...)';
    throw new ScenarioError([
      { file, path: '<root>', found: 'nothing', expected, message: foundExpected('nothing', expected) },
    ]);
  }
  const parsed = scenarioFile.safeParse(data, { error: expectedText });
  if (!parsed.success) {
    const rejected = fromZod(parsed.error.issues);
    throw new ScenarioError(
      [...rejected, ...crossReferenceProblems(data, rejected)]
        .map((p) => position(file, source, p))
        .sort(byPosition),
    );
  }
  const { scenario, problems } = normalise(parsed.data);
  if (problems.list.length > 0) {
    throw new ScenarioError(problems.list.map((p) => position(file, source, p)).sort(byPosition));
  }
  return scenario;
}

/**
 * The cross-reference problems of what remains once the schema's rejects are removed (none when the
 * remainder still fails the schema), skipping those inside a removed part.
 */
function crossReferenceProblems(data: unknown, rejected: PendingIssue[]): PendingIssue[] {
  const rest = withoutRejected(data, rejected);
  if (rest === null) return [];
  const again = scenarioFile.safeParse(rest, { error: expectedText });
  if (!again.success) return [];
  return normalise(again.data).problems.list.filter((p) => !insideRemoved(p.path, rejected));
}

export function loadScenario(file: string): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const reason =
      (e as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'the file does not exist'
        : String((e as Error).message);
    const expected = 'a readable scenario file';
    throw new ScenarioError([
      { file, path: '<root>', found: reason, expected, message: `cannot read the file: ${reason}` },
    ]);
  }
  return parseScenario(text, file);
}
