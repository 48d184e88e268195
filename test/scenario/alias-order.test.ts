import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError } from '../../src/scenario/index.ts';

describe('an alias above its anchor', () => {
  it('is a positioned scenario error, not a bare ReferenceError', () => {
    let err: unknown;
    try {
      parseScenario('a: 1\n<<: *a\nb: 2\n', 'x.yaml');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ScenarioError);
    expect((err as Error).message).toContain('x.yaml:2:5');
    expect((err as Error).message).toContain('anchor &a defined above its alias');
  });
});
