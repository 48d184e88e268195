export type { DisruptionCounters, DisruptionHost } from './host.ts';
export type { DisruptionRecord } from './record.ts';
export { type ScheduledEvents, scheduleEvents } from './schedule.ts';
