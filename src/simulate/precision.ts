// Run length by precision: after each round of replications, is every entry point's p99 and every
// headline latency delta pinned down to max(relative x |estimate|, absolute)? If not, how many
// replications would do it: a half-width shrinks as 1/sqrt(n), so n x (half / target)^2 (the
// two-stage rule of Law, Simulation Modeling and Analysis, 5th ed., 9.4.1).
import type { PrecisionSettings } from '../scenario/index.ts';
import { isLatencyDelta } from './summarise/deltas.ts';
import type { ArchResult, Delta } from './summarise/results.ts';

export interface PrecisionCheck {
  met: boolean;
  /** Replications that would meet the worst quantity, at least n + 1 when not met. */
  needed: number;
  /** What is furthest from its target, for the results. */
  worst: string | null;
}

export function checkPrecision(
  p: PrecisionSettings,
  n: number,
  archs: ArchResult[],
  deltas: Delta[],
): PrecisionCheck {
  let ratio = 0;
  let worst: string | null = null;
  const see = (what: string, half: number, estimate: number) => {
    const target = Math.max(p.relative * Math.abs(estimate), p.absolute);
    const r = target > 0 ? half / target : Number.POSITIVE_INFINITY;
    if (r > ratio) {
      ratio = r;
      worst = what;
    }
  };
  for (const a of archs)
    for (const e of a.entryPoints) {
      const q = e.latency.p99;
      // Nothing completed: more replications of the same saturation will not give it a latency.
      if (Number.isFinite(q.mean)) see(`${a.architecture} ${e.name} p99`, q.half, q.mean);
    }
  for (const d of deltas) {
    if (!isLatencyDelta(d) || !Number.isFinite(d.change)) continue;
    const half = d.ci ? (d.ci[1] - d.ci[0]) / 2 : Number.POSITIVE_INFINITY;
    see(`${d.metric} ${d.to} vs ${d.from}`, half, d.change);
  }
  if (ratio <= 1) return { met: true, needed: n, worst };
  const needed = Number.isFinite(ratio) ? Math.ceil(n * ratio * ratio) : n + 1;
  return { met: false, needed: Math.max(n + 1, needed), worst };
}
