// Request rates per service implied by a scenario: entry-point rates pushed through the call graph
// (acyclic, checked by the loader) with each call's expected count, over routes and versions by weight.
import { type EntryPoint, entryRouteCalls, peakRate, type Scenario, sharedCalls } from '../scenario/index.ts';

export function serviceRates(s: Scenario): Map<string, number> {
  const rate = new Map<string, number>(s.services.map((x) => [x.key, 0]));
  for (const t of s.traffic) {
    rate.set(t.to, (rate.get(t.to) ?? 0) + peakRate(t));
  }
  // An entry point's routes are made by its target's pods in place of its own calls: theirs carry the
  // entry's rate, and the target's own calls only the rest of its requests.
  const routed = new Map<string, number>();
  for (const t of s.traffic) {
    if (!t.routes) continue;
    routed.set(t.to, (routed.get(t.to) ?? 0) + peakRate(t));
    for (const { call, share } of entryRouteCalls(t))
      rate.set(call.to, (rate.get(call.to) ?? 0) + peakRate(t) * share * call.count);
  }
  const calls = new Map(s.services.map((x) => [x.key, sharedCalls(x)]));
  const indegree = new Map<string, number>(s.services.map((x) => [x.key, 0]));
  for (const x of s.services)
    for (const { call: c } of calls.get(x.key)!) indegree.set(c.to, (indegree.get(c.to) ?? 0) + 1);
  const ready = s.services.filter((x) => indegree.get(x.key) === 0).map((x) => x.key);
  while (ready.length > 0) {
    const k = ready.shift()!;
    for (const { call: c, share } of calls.get(k) ?? []) {
      rate.set(c.to, (rate.get(c.to) ?? 0) + ((rate.get(k) ?? 0) - (routed.get(k) ?? 0)) * share * c.count);
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
  /** The entry point of an entry edge (whose load generators make the calls). */
  entry?: EntryPoint;
}

/** Calls per second on each edge caller -> callee (entry points have no caller). */
export function edgeRates(s: Scenario): EdgeRate[] {
  const rates = serviceRates(s);
  const out: EdgeRate[] = [];
  for (const t of s.traffic)
    out.push({
      to: t.to,
      rate: peakRate(t),
      kib: (t.requestSize + t.responseSize) / 1024,
      l7: t.l7,
      entry: t,
    });
  for (const t of s.traffic)
    for (const { call: c, share } of entryRouteCalls(t))
      out.push({
        from: t.to,
        to: c.to,
        rate: peakRate(t) * share * c.count,
        kib: (c.requestSize + c.responseSize) / 1024,
        l7: c.l7,
      });
  const routed = new Map<string, number>();
  for (const t of s.traffic) if (t.routes) routed.set(t.to, (routed.get(t.to) ?? 0) + peakRate(t));
  for (const x of s.services)
    for (const { call: c, share } of sharedCalls(x))
      out.push({
        from: x.key,
        to: c.to,
        rate: ((rates.get(x.key) ?? 0) - (routed.get(x.key) ?? 0)) * share * c.count,
        kib: (c.requestSize + c.responseSize) / 1024,
        l7: c.l7,
      });
  return out;
}
