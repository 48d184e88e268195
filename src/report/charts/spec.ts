// What every chart spec shares: the schema, the fixed config, a title that says what is compared and a
// subtitle naming the inputs (scenario and seed), so a chart copied out of a report still says what it is.
import type { TopLevelSpec } from 'vega-lite';
import { round } from '../json.ts';
import { CONFIG } from './style.ts';

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

export type Row = Record<string, string | number | null>;

/** Data values rounded like results.json, so float noise never reaches a spec file. */
export function values(rows: Row[]): Row[] {
  return rows.map((r) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'number' ? round(v) : v])),
  );
}

export function tableRows(rows: Array<Array<string | number>>): Array<Array<string | number>> {
  return rows.map((r) => r.map((v) => (typeof v === 'number' ? round(v) : v)));
}

export function topLevel(title: string, subtitle: string | string[], body: object): TopLevelSpec {
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: title, subtitle },
    config: CONFIG,
    ...body,
  } as TopLevelSpec;
}
