// Results do not carry disruption data yet: the disruption work will add `disruption` to ArchResult.
// Charts read it structurally and skip it when absent or malformed, so they work before and after.
import type { ArchResult } from '../../simulate/index.ts';

export interface DisruptionEvent {
  /** Seconds from the start of the simulation (the same clock as timeseries.t). */
  at: number;
  label: string;
}

export interface Disruption {
  events: DisruptionEvent[];
  timeline?: unknown;
}

export type WithDisruption = ArchResult & { disruption?: Disruption };

const isEvent = (e: unknown): e is DisruptionEvent =>
  typeof e === 'object' &&
  e !== null &&
  Number.isFinite((e as DisruptionEvent).at) &&
  typeof (e as DisruptionEvent).label === 'string';

/** Every architecture's events, once each, in time order. */
export function disruptionEvents(archs: readonly ArchResult[]): DisruptionEvent[] {
  const seen = new Map<string, DisruptionEvent>();
  for (const a of archs as readonly WithDisruption[]) {
    const events: unknown = a.disruption?.events;
    if (!Array.isArray(events)) continue;
    for (const e of events) if (isEvent(e)) seen.set(`${e.at}\u0000${e.label}`, { at: e.at, label: e.label });
  }
  return [...seen.values()].sort((a, b) => a.at - b.at || a.label.localeCompare(b.label));
}
