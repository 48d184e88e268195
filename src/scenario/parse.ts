// Text -> Scenario: YAML (or JSON) syntax, then the schema, then cross-references; every problem found
// at a stage is reported together, with file:line:col.
import { readFileSync, statSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import {
  deepFlowNesting,
  expansionIssue,
  MAX_FILE_BYTES,
  nestingIssue,
  syntaxErrorOffset,
} from './input-limits.ts';
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
  const deep = deepFlowNesting(text);
  if (deep !== undefined) {
    // The parser must not see it (its reader recurses per level); lines are counted by a cheap pass.
    parseDocument(text.slice(0, deep), { lineCounter: lines, prettyErrors: false });
    throw new ScenarioError([nestingIssue(file, lines, deep)]);
  }
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ScenarioError(
      doc.errors.map((e) => {
        const { line, col } = lines.linePos(syntaxErrorOffset(text, e.pos[0]));
        if (e instanceof RangeError || /call stack/i.test(e.message))
          return nestingIssue(file, lines, e.pos[0]);
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
  const tooBig = expansionIssue(doc, file, lines);
  if (tooBig) throw new ScenarioError([tooBig]);
  // The expansion is bounded above, so yaml's own alias-count guard (which throws a bare ReferenceError)
  // is not needed on top.
  const data: unknown = toData(doc, text, file, lines);
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
 * The document as plain data. yaml throws a bare ReferenceError for an alias used before its anchor
 * (`<<: *a` above `&a`): that is the user's input, so it becomes a positioned scenario error.
 */
function toData(
  doc: ReturnType<typeof parseDocument>,
  text: string,
  file: string,
  lines: LineCounter,
): unknown {
  try {
    return doc.toJS({ maxAliasCount: -1 });
  } catch (e) {
    if (!(e instanceof ReferenceError)) throw e;
    const name = /: (\S+)$/.exec(e.message)?.[1] ?? '';
    const at = Math.max(0, text.indexOf(`*${name}`));
    const { line, col } = lines.linePos(at);
    const found = `alias *${name}`;
    const expected = `an anchor &${name} defined above its alias`;
    throw new ScenarioError([
      { file, line, column: col, path: '<root>', found, expected, message: foundExpected(found, expected) },
    ]);
  }
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
  return parseScenario(readScenarioText(file), file);
}

function unreadable(file: string, found: string, expected = 'a readable scenario file'): ScenarioError {
  return new ScenarioError([
    { file, path: '<root>', found, expected, message: `cannot read the file: ${found}` },
  ]);
}

/** The file's text, refused before reading when it is not a regular file or is too large to be a scenario. */
function readScenarioText(file: string): string {
  try {
    const st = statSync(file);
    if (!st.isFile()) {
      const what = st.isDirectory()
        ? 'a directory'
        : st.isFIFO()
          ? 'a pipe (FIFO)'
          : st.isCharacterDevice()
            ? 'a device'
            : 'not a regular file';
      throw unreadable(file, what, 'a regular scenario file (YAML or JSON)');
    }
    if (st.size > MAX_FILE_BYTES) {
      const found = `a file of ${st.size.toLocaleString('en-US')} bytes`;
      const expected = `a scenario file of at most ${MAX_FILE_BYTES.toLocaleString('en-US')} bytes`;
      throw new ScenarioError([
        { file, path: '<root>', found, expected, message: foundExpected(found, expected) },
      ]);
    }
    return readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof ScenarioError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'the file does not exist'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : String((e as Error).message);
    throw unreadable(file, reason);
  }
}
