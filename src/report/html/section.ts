import type { ChartSpec } from '../charts/index.ts';

/** A titled part of a section: its own HTML (already escaped) and the charts drawn under it, by name. */
export interface Part {
  id: string;
  heading: string;
  html: string;
  charts: string[];
}

/**
 * One input file's part of the report: a heading, its first screen (already escaped HTML), its parts and
 * every chart (the parts name them; a chart no part names is drawn at the end).
 */
export interface Section {
  id: string;
  heading: string;
  intro: string;
  parts: Part[];
  charts: ChartSpec[];
}
