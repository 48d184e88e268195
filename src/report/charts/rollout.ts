// Each architecture's rollout window per event, on the simulation clock: from the event until the last
// new pod was ready (kubectl rollout status), then until the last old pod was gone (drains and grace
// periods). Read structurally: hand-made results may carry events without these fields.
import type { ArchResult } from '../../simulate/index.ts';

export interface RolloutRow {
  [k: string]: string | number;
  architecture: string;
  event: string;
  phase: 'new pods rolling out' | 'old pods draining';
  from: number;
  to: number;
}

const num = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** `end` stands in for a window that had not closed when the run did. */
export function rolloutRows(archs: readonly ArchResult[], end: number): RolloutRow[] {
  const out: RolloutRow[] = [];
  for (const a of archs)
    for (const e of (a.disruption?.events ?? []) as Array<
      Partial<ArchResult['disruption']['events'][number]>
    >) {
      if (!num(e.at) || typeof e.label !== 'string') continue;
      const rolled = num(e.rolloutDuration) ? e.at + e.rolloutDuration : e.completed === false ? end : null;
      const settled = num(e.settledAfter) ? e.at + e.settledAfter : rolled === null ? null : end;
      const base = { architecture: a.architecture, event: e.label };
      if (rolled !== null && rolled > e.at)
        out.push({ ...base, phase: 'new pods rolling out', from: e.at, to: rolled });
      if (rolled !== null && settled !== null && settled > rolled)
        out.push({ ...base, phase: 'old pods draining', from: rolled, to: settled });
    }
  return out;
}
