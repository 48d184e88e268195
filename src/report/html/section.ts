import type { ChartSpec } from '../charts/index.ts';

/** One input file's part of the report: a heading, its summary (already escaped HTML) and its charts. */
export interface Section {
  id: string;
  heading: string;
  intro: string;
  charts: ChartSpec[];
}
