export type { AutoscaleRecord, ControlPlaneRun } from './autoscale.ts';
export type { DisruptionCounters, DisruptionHost, NodeRoom, ReserveRules } from './host.ts';
export type { TimedReplicas } from './hpa.ts';
export { type DisruptionRecord, emptyRecord } from './record.ts';
export { type ScheduledEvents, scheduleEvents } from './schedule.ts';
export { nativeSidecars } from './terminate.ts';
