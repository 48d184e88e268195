export { Calendar, CalendarCapacityError, type Handler } from './calendar.ts';
export {
  boundedPareto,
  constant,
  type Distribution,
  empirical,
  exponential,
  lognormal,
  lognormalFromMeanP99,
  lognormalFromMedianP99,
  lognormalParams,
  lognormalSample,
  normal,
  normalQuantile,
  standardNormalSample,
  uniform,
} from './distributions/index.ts';
export { type GroupUsage, Processor, type ProcessorStats } from './processor.ts';
export { ProcessorArena } from './processor-arena.ts';
export { arenaNumbers } from './processor-groups.ts';
export { GRANTED, QUEUED, type QueueStats, REJECTED, ServerQueue } from './queue.ts';
export { deriveSeed, type Generator, RandomStreams, type Rng, rngFromSeed } from './random.ts';
export { ServerBank } from './server-bank.ts';
export { Sfc32 } from './sfc32.ts';
export {
  countInterval,
  type NonNegativeInterval,
  nonNegativeInterval,
  poissonInterval,
} from './stats/count-interval.ts';
export { Histogram, type HistogramJSON, type HistogramOptions } from './stats/histogram.ts';
export { MSER_BATCH, type MserResult, mser5 } from './stats/mser.ts';
export { type PairedDifference, pairedDifference } from './stats/paired.ts';
export { replicate } from './stats/replicate.ts';
export { type ConfidenceInterval, confidenceInterval, studentT95 } from './stats/student-t.ts';
export { TimeSeries } from './stats/time-series.ts';
export { TimeWeighted } from './stats/time-weighted.ts';
export { Welford } from './stats/welford.ts';
export { TripleIndex } from './triple-index.ts';
