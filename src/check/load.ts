// Request rates per service implied by a scenario: entry-point rates pushed through the call graph
// (acyclic, checked by the loader) with each call's expected count.
import type { EntryPoint, Scenario } from '../scenario/index.ts';

export function serviceRates(s: Scenario): Map<string, number> {
  const rate = new Map<string, number>(s.services.map((x) => [x.key, 0]));
  for (const t of s.traffic) {
    const r = t.arrival.kind === 'ramp' ? Math.max(t.arrival.from, t.arrival.to) : t.rate;
    rate.set(t.to, (rate.get(t.to) ?? 0) + r);
  }
  const byKey = new Map(s.services.map((x) => [x.key, x]));
  const indegree = new Map<string, number>(s.services.map((x) => [x.key, 0]));
  for (const x of s.services) for (const c of x.calls) indegree.set(c.to, (indegree.get(c.to) ?? 0) + 1);
  const ready = s.services.filter((x) => indegree.get(x.key) === 0).map((x) => x.key);
  while (ready.length > 0) {
    const k = ready.shift()!;
    for (const c of byKey.get(k)?.calls ?? []) {
      rate.set(c.to, (rate.get(c.to) ?? 0) + (rate.get(k) ?? 0) * c.count);
      const d = (indegree.get(c.to) ?? 1) - 1;
      indegree.set(c.to, d);
      if (d === 0) ready.push(c.to);
    }
  }
  return rate;
}

export interface EdgeRate {
  /** Caller service key; undefined for an entry point. */
  from?: string;
  to: string;
  rate: number;
  kib: number;
  l7: boolean;
  /** Entry points: the load generators' mode. */
  clientMode?: EntryPoint['clientMode'];
}

/** Calls per second on each edge caller -> callee (entry points have no caller). */
export function edgeRates(s: Scenario): EdgeRate[] {
  const rates = serviceRates(s);
  const out: EdgeRate[] = [];
  for (const t of s.traffic)
    out.push({
      to: t.to,
      rate: t.arrival.kind === 'ramp' ? Math.max(t.arrival.from, t.arrival.to) : t.rate,
      kib: (t.requestSize + t.responseSize) / 1024,
      l7: t.l7,
      clientMode: t.clientMode,
    });
  for (const x of s.services)
    for (const c of x.calls)
      out.push({
        from: x.key,
        to: c.to,
        rate: (rates.get(x.key) ?? 0) * c.count,
        kib: (c.requestSize + c.responseSize) / 1024,
        l7: c.l7,
      });
  return out;
}
