import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseScenario, ScenarioError, type ScenarioIssue } from '../../src/scenario/index.ts';
import { getIn, paths, setIn, validScenario } from './arbitrary.ts';

const RUNS = { numRuns: 150 };

function issuesOf(text: string): ScenarioIssue[] {
  try {
    parseScenario(text, 'p.yaml');
  } catch (e) {
    if (e instanceof ScenarioError) return e.issues;
    throw e;
  }
  return [];
}

describe('valid scenarios', () => {
  it('parse without throwing and keep their services, calls and rates', () => {
    fc.assert(
      fc.property(validScenario, fc.boolean(), ({ raw, keys, calls, rates }, asJson) => {
        const text = asJson ? JSON.stringify(raw, null, 1) : stringify(raw);
        const s = parseScenario(text, 'p.yaml');
        expect(s.services.map((x) => x.key)).toEqual(keys);
        expect(s.services.map((x) => x.calls.map((c) => c.to))).toEqual(calls);
        expect(s.traffic.map((t) => t.rate)).toEqual(rates);
        expect(s.simulation.warmup).toBeLessThan(s.simulation.duration);
      }),
      RUNS,
    );
  });
});

type Mutation = (raw: Record<string, unknown>, pick: number) => void;

/** A value of another type than the leaf holds: no field accepts both. */
const wrongType: Mutation = (raw, pick) => {
  const leaves = paths(raw).filter((p) => p.kind === 'leaf');
  const { path } = leaves[pick % leaves.length] as (typeof leaves)[number];
  setIn(raw, path, typeof getIn(raw, path) === 'boolean' ? { x: 1 } : true);
};

/** A key no schema knows, in any map that is not free-form (labels, annotations). */
const unknownKey: Mutation = (raw, pick) => {
  const maps = paths(raw).filter(
    (p) => p.kind === 'map' && !['labels', 'annotations'].includes(String(p.path.at(-1))),
  );
  const { path } = maps[pick % maps.length] as (typeof maps)[number];
  setIn(raw, [...path, 'zzUnknownField'], 1);
};

const outOfRange: Mutation = (raw, pick) => {
  const choices: Array<[Array<string | number>, unknown]> = [
    [['services', 0, 'replicas'], -1],
    [['cluster', 'nodePools', 0, 'count'], 0],
    [['simulation', 'replications'], 101],
    [['cost'], { discount: 1 }],
    [['traffic', 0, 'clients'], 0],
    [['services', 0, 'concurrency'], 0.5],
    [['simulation', 'seed'], -3],
  ];
  const [path, value] = choices[pick % choices.length] as (typeof choices)[number];
  setIn(raw, path, value);
};

describe('invalid scenarios', () => {
  it.each([
    ['a wrong type at a random path', wrongType],
    ['an unknown key', unknownKey],
    ['an out-of-range number', outOfRange],
  ])('%s gives positioned issues with a path', (_, mutate) => {
    fc.assert(
      fc.property(validScenario, fc.nat(), ({ raw }, pick) => {
        const broken = structuredClone(raw);
        mutate(broken, pick);
        const issues = issuesOf(stringify(broken));
        expect(issues.length).toBeGreaterThan(0);
        for (const issue of issues) {
          expect(issue.path.length).toBeGreaterThan(0);
          if (issue.line === undefined) expect(issue.path).toBe('<root>');
          else expect(issue.column).toBeGreaterThanOrEqual(1);
          expect(issue.expected.length).toBeGreaterThan(0);
        }
      }),
      RUNS,
    );
  });

  it('an unknown key is reported at that key with its name as the path', () => {
    fc.assert(
      fc.property(validScenario, fc.nat(), ({ raw }, pick) => {
        const broken = structuredClone(raw);
        unknownKey(broken, pick);
        const text = stringify(broken);
        const issues = issuesOf(text);
        const issue = issues.find((i) => i.path.endsWith('zzUnknownField'));
        expect(issue).toBeDefined();
        const line = text.split('\n')[(issue?.line ?? 0) - 1] ?? '';
        expect(line.slice((issue?.column ?? 1) - 1).startsWith('zzUnknownField')).toBe(true);
      }),
      RUNS,
    );
  });
});
