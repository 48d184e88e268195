// A cost file's `cost` rows in either of two shapes: the chart's own CostInput, or the CostBreakdown of
// src/cost (what attachCost adds to results), read structurally so a change there degrades to "no
// chart" rather than a crash. A breakdown's cross-zone traffic and per-proxy fees become their own
// segments so the stack adds up to the bill (less any over-allocation, which is normally 0).
import type { CostInput } from './cost.ts';

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const num = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

function fromBreakdown(c: Obj): CostInput | undefined {
  const monthly = c.monthly;
  const alloc = c.allocation;
  if (!isObj(monthly) || !num(monthly.total) || !isObj(alloc) || !Array.isArray(alloc.byComponent))
    return undefined;
  const byComponent: Record<string, number> = {};
  for (const b of alloc.byComponent)
    if (isObj(b) && typeof b.component === 'string' && num(b.total)) byComponent[b.component] = b.total;
  if (num(monthly.crossZone) && monthly.crossZone > 0) byComponent['cross-zone traffic'] = monthly.crossZone;
  if (num(monthly.proxyFee) && monthly.proxyFee > 0) byComponent['proxy fee'] = monthly.proxyFee;
  return {
    architecture: String(c.architecture),
    monthly: monthly.total,
    byComponent,
    idle: num(alloc.idle) ? alloc.idle : 0,
  };
}

function fromSimple(c: Obj): CostInput | undefined {
  if (!num(c.monthly) || !isObj(c.byComponent)) return undefined;
  const byComponent = Object.fromEntries(Object.entries(c.byComponent).filter(([, v]) => num(v))) as Record<
    string,
    number
  >;
  return {
    architecture: String(c.architecture),
    monthly: c.monthly,
    byComponent,
    idle: num(c.idle) ? c.idle : 0,
  };
}

/** The rows as CostInput, or undefined when any row is in neither shape. */
export function costInputs(rows: unknown[]): CostInput[] | undefined {
  const out = rows.map((c) => (isObj(c) ? (fromSimple(c) ?? fromBreakdown(c)) : undefined));
  return out.every((c) => c !== undefined) ? (out as CostInput[]) : undefined;
}
