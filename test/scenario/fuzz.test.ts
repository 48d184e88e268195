// The loader fuzzed as a careless editor or a hostile file would: text mutations of the bundled
// scenarios (cuts, insertions of YAML punctuation, aliases, duplicated lines, huge numbers). Every
// outcome is a scenario or a ScenarioError whose issues all say where; never another exception.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError } from '../../src/scenario/index.ts';
import { BUNDLED, SCENARIOS_DIR } from '../helpers/bundled.ts';

const TEXTS = [...BUNDLED, 'upgrade-day'].map((n) => readFileSync(`${SCENARIOS_DIR}${n}.yaml`, 'utf8'));
const JUNK = [
  ':',
  '- ',
  '[',
  ']',
  '{',
  '}',
  '&a ',
  '*a',
  '*b',
  '!!binary ',
  '"',
  "'",
  '\t',
  '\n',
  '  ',
  '#',
  '|',
  '>',
  '? ',
  '1e309',
  '-1',
  '1e9',
  'NaN',
  '.inf',
  '0x10',
  'null',
  '~',
  '%YAML 1.2\n',
  '---\n',
  '...\n',
  '<<: *a\n',
  'é',
  '\u0000',
  '\uFEFF',
  '999999999999999999999',
  '1e-400',
  '5ms5',
  '250mm',
];

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), junk: fc.constantFrom(...JUNK) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('dupLine' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('number' as const),
    at: fc.nat(),
    value: fc.constantFrom('1e9', '-0', '1e300', '0'),
  }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(text: string, m: Mutation): string {
  const at = m.at % (text.length + 1);
  switch (m.kind) {
    case 'insert':
      return text.slice(0, at) + m.junk + text.slice(at);
    case 'cut':
      return text.slice(0, at) + text.slice(at + m.length);
    case 'dupLine': {
      const lines = text.split('\n');
      const i = m.at % lines.length;
      lines.splice(i, 0, lines[i] ?? '');
      return lines.join('\n');
    }
    case 'number':
      return text.replace(/\b\d+(\.\d+)?\b/g, (d, _f, offset: number) => (offset >= at ? m.value : d));
  }
}

describe('loader fuzz', () => {
  it('mutated bundled scenarios parse or fail as positioned scenario errors', () => {
    fc.assert(
      fc.property(
        fc.nat(TEXTS.length - 1),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (which, ms) => {
          const text = ms.reduce(mutate, TEXTS[which]!);
          try {
            parseScenario(text, 'fuzz.yaml');
          } catch (e) {
            if (!(e instanceof ScenarioError)) throw e;
            expect(e.issues.length).toBeGreaterThan(0);
            for (const i of e.issues) {
              expect(i.file).toBe('fuzz.yaml');
              expect(i.message.length).toBeGreaterThan(0);
              // Whole-document problems have no line; every other one is on a line of the file.
              if (i.line !== undefined) {
                expect(i.line).toBeGreaterThanOrEqual(1);
                expect(i.line).toBeLessThanOrEqual(text.split('\n').length);
                expect(i.column).toBeGreaterThanOrEqual(1);
              } else expect(i.path).toBe('<root>');
            }
          }
        },
      ),
      { numRuns: 2000, seed: 20261130 },
    );
  });
});
