import { describe, expect, it } from 'vitest';
import {
  parseCpu,
  parseDuration,
  parseMemory,
  parseRate,
  parseSize,
  UnitError,
} from '../../src/scenario/index.ts';
import { parseIntOrPercent } from '../../src/scenario/units.ts';

const Ki = 1024;
const Mi = Ki * Ki;
const Gi = Ki * Mi;

function table<T>(
  name: string,
  parse: (v: string | number) => T,
  ok: Array<[string | number, T]>,
  bad: Array<string | number>,
) {
  describe(name, () => {
    it.each(ok)('%s', (input, expected) => {
      if (typeof expected === 'number') expect(parse(input)).toBeCloseTo(expected, 12);
      else expect(parse(input)).toEqual(expected);
    });
    it.each(bad.map((b) => [b]))('rejects %s with the expected format', (input) => {
      expect(() => parse(input)).toThrow(UnitError);
      try {
        parse(input);
      } catch (e) {
        expect((e as UnitError).expected).toMatch(/such as/);
      }
    });
  });
}

table(
  'parseCpu',
  parseCpu,
  [
    ['250m', 0.25],
    ['1.5', 1.5],
    [2, 2],
    ['0', 0],
    ['1000m', 1],
    ['0.5m', 0.0005],
    ['.5', 0.5],
    ['1e1', 10],
  ],
  ['', 'm', '-1', -1, '250mm', '1 m', '1k', '1.5.2', Number.NaN, Number.POSITIVE_INFINITY, 'abc'],
);

table(
  'parseMemory',
  parseMemory,
  [
    ['128Mi', 128 * Mi],
    ['2Gi', 2 * Gi],
    ['500M', 500e6],
    ['1e9', 1e9],
    ['1E3', 1000],
    ['1Ki', 1024],
    ['1k', 1000],
    [1024, 1024],
    ['1.5Gi', 1.5 * Gi],
    ['1E', 1e18],
    ['1Ti', 2 ** 40],
    ['0', 0],
  ],
  ['', 'Mi', '128MB', '128mi', '-1Gi', -5, '1 Gi', '1KiB', '1e', 'lots'],
);

table(
  'parseDuration',
  parseDuration,
  [
    ['2ms', 0.002],
    ['30s', 30],
    ['100us', 100e-6],
    ['100µs', 100e-6],
    ['100μs', 100e-6],
    ['5m', 300],
    ['1h', 3600],
    ['250ns', 250e-9],
    ['1m30s', 90],
    ['1h2m3s', 3723],
    ['1.5s', 1.5],
    [2, 2],
    ['2', 2],
    ['0s', 0],
  ],
  ['', 's', '-1s', -1, '2 ms', '2sec', '1d', '5M', 'ms2', '1m30', Number.POSITIVE_INFINITY],
);

table(
  'parseSize',
  parseSize,
  [
    ['1KiB', 1024],
    ['1KB', 1000],
    ['1kB', 1000],
    ['512B', 512],
    ['4MiB', 4 * Mi],
    ['1GB', 1e9],
    [100, 100],
    ['100', 100],
    ['0.5KiB', 512],
  ],
  ['', 'KiB', '1Ki', '1 KB', '-1B', -1, '1kb', 'big'],
);

table(
  'parseRate',
  parseRate,
  [
    ['300/s', 300],
    ['18000/min', 300],
    ['5/ms', 5000],
    ['1000/h', 1000 / 3600],
    [42, 42],
    ['42', 42],
    ['0.5/s', 0.5],
  ],
  ['', '/s', '300/sec', '300/m', '300 /s', '-1/s', -3, '300/s/s', 'fast'],
);

table(
  'parseIntOrPercent',
  parseIntOrPercent,
  [
    ['25%', { value: 25, percent: true }],
    [1, { value: 1, percent: false }],
    ['3', { value: 3, percent: false }],
    ['0%', { value: 0, percent: true }],
  ],
  ['25 %', '%', -1, 1.5, '1.5%', 'a'],
);
