import { describe, expect, it } from 'vitest';
import { atLeast, compareVersions, minorsBetween } from '../../src/mesh/index.ts';

describe('Istio versions', () => {
  it('compares minor versions numerically, not as strings', () => {
    expect(compareVersions('1.9', '1.28')).toBeLessThan(0);
    expect(compareVersions('1.28', '1.28')).toBe(0);
    expect(atLeast('1.28', '1.28')).toBe(true);
    expect(atLeast('1.27', '1.28')).toBe(false);
    expect(atLeast('2.0', '1.28')).toBe(true);
  });

  it('counts the minor releases an upgrade crosses', () => {
    expect(minorsBetween('1.26', '1.28')).toBe(2);
    expect(minorsBetween('1.27', '1.28')).toBe(1);
  });
});
