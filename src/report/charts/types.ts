import type { TopLevelSpec } from 'vega-lite';

/** The numbers a chart draws, as a table shown beneath it (units in the column names). */
export interface ChartTable {
  columns: string[];
  rows: Array<Array<string | number>>;
}

export interface ChartSpec {
  /** File-safe, unique within a report: the stem of NAME.vl.json, NAME.svg and NAME.png. */
  name: string;
  title: string;
  /** A complete vega-lite spec with its data inlined, so the file alone redraws the chart. */
  spec: TopLevelSpec;
  table: ChartTable;
}
