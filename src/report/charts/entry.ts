import type { EntryResult } from '../../simulate/index.ts';

/** How an entry point is labelled on every chart: its name and the service it calls. */
export const entryLabel = (e: EntryResult) => `${e.name} → ${e.to}`;

/** Facets wrap after three columns so reports with many entry points stay readable. */
export const facetColumns = (n: number) => Math.min(n, 3);
