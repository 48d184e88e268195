// The width of the per-time-step series' bins. Each bin holds a latency histogram (16 KB) per
// architecture and replication, so a week at the scenario's 1 s step would hold 604,800 of them
// (9.5 GB). Past MAX_SERIES_BINS the bins are widened to a whole multiple of the scenario's step, so a
// run of any length keeps at most that many bins; the results say which step was used.

/** At most this many bins per series: 1,000 x 16 KB = 16 MB per architecture and replication. */
export const MAX_SERIES_BINS = 1000;

export function seriesStep(duration: number, timeStep: number): number {
  const bins = Math.ceil(duration / timeStep);
  if (bins <= MAX_SERIES_BINS) return timeStep;
  return Math.ceil(bins / MAX_SERIES_BINS) * timeStep;
}

export function seriesBins(duration: number, timeStep: number): number {
  return Math.ceil(duration / seriesStep(duration, timeStep));
}
