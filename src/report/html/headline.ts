// One line per comparison, the answer a platform engineer came for: "ambient vs sidecar: -69 % mesh CPU,
// -94 % mesh memory, -$13/month, +0.2 ms p99". Built from the results' deltas (and cost, when attached).
// A delta that carries a paired interval (`ci`) and a verdict (`significant`) shows both; without them
// the line is the same, minus the verdicts.
import type { CostBreakdown } from '../../cost/index.ts';
import type { Delta, Results } from '../../simulate/index.ts';
import { fmt } from '../format.ts';
import { escapeHtml } from './escape.ts';

/** A delta as a later results version may carry it: a paired 95 % interval and a verdict. */
type Judged = Delta & { ci?: unknown; significant?: unknown };

export interface HeadlineItem {
  /** e.g. "-69 % mesh CPU". */
  text: string;
  /** e.g. "0.421 → 0.129 cores". */
  detail: string;
  /** true / false when the results judge it; undefined when they do not. */
  significant?: boolean;
  /** The paired interval of the change, in the item's unit, when the results carry one. */
  interval?: string;
}

export interface Headline {
  from: string;
  to: string;
  items: HeadlineItem[];
}

const NAMES: Record<string, string> = { none: 'no mesh' };
export const archName = (a: string) => NAMES[a] ?? a;

const signed = (x: number, show: (v: number) => string) =>
  `${x > 0 ? '+' : x < 0 ? '−' : '±'}${show(Math.abs(x))}`;
const pct = (p: number) => `${signed(p, (v) => (v >= 10 ? v.toFixed(0) : v.toFixed(1)))} %`;
const dollars = (x: number) =>
  Math.abs(x) < 10 ? `$${x.toFixed(2)}` : `$${Math.round(x).toLocaleString('en-US')}`;
const GiB = 2 ** 30;
const MiB = 2 ** 20;
const bytes = (x: number) => (Math.abs(x) >= GiB ? `${fmt(x / GiB)} GiB` : `${fmt(x / MiB)} MiB`);
const millis = (x: number) => `${fmt(x * 1e3)} ms`;

/** The interval of a judged delta, read structurally: {lo, hi} or [lo, hi] or {half}. */
function intervalOf(d: Judged, show: (x: number) => string): string | undefined {
  const ci = d.ci;
  const n = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  if (Array.isArray(ci) && n(ci[0]) && n(ci[1])) return `${show(ci[0])} to ${show(ci[1])}`;
  if (typeof ci === 'object' && ci !== null) {
    const o = ci as unknown as Record<string, unknown>;
    if (n(o.lo) && n(o.hi)) return `${signed(o.lo, show)} to ${signed(o.hi, show)}`;
    if (n(o.half)) return `±${show(o.half)}`;
  }
  return undefined;
}

function judged(d: Judged, show: (x: number) => string): Pick<HeadlineItem, 'significant' | 'interval'> {
  return {
    ...(typeof d.significant === 'boolean' ? { significant: d.significant } : {}),
    ...(d.ci !== undefined ? { interval: intervalOf(d, show) } : {}),
  };
}

/** A relative change where the base is not zero, else the absolute one ("+0.43 cores mesh CPU"). */
function change(d: Judged, what: string, show: (x: number) => string): HeadlineItem {
  const text = d.percent === null ? `${signed(d.change, show)} ${what}` : `${pct(d.percent)} ${what}`;
  return { text, detail: `${what} ${show(d.base)} → ${show(d.value)}`, ...judged(d, show) };
}

function costItem(r: Results, from: string, to: string): HeadlineItem | undefined {
  const cost = (r as Results & { cost?: CostBreakdown[] }).cost;
  if (!Array.isArray(cost)) return undefined;
  const total = (a: string) => cost.find((c) => c.architecture === a)?.monthly?.total;
  const a = total(from);
  const b = total(to);
  if (typeof a !== 'number' || typeof b !== 'number') return undefined;
  return { text: `${signed(b - a, dollars)}/month`, detail: `cost ${dollars(a)} → ${dollars(b)} a month` };
}

/** The entry point whose p99 rose most (or fell least): one number for the latency a user feels. */
function latencyItem(ds: Judged[], entries: number): HeadlineItem | undefined {
  const p99 = ds.filter((d) => d.metric.endsWith(' p99 (s)'));
  if (p99.length === 0) return undefined;
  const worst = p99.reduce((w, d) => (d.change > w.change ? d : w));
  const name = worst.metric.slice(0, -' p99 (s)'.length);
  const where = entries > 1 ? `${name}, the worst of ${entries} entry points` : name;
  return {
    text: `${signed(worst.change, millis)} p99`,
    detail: `p99 ${millis(worst.base)} → ${millis(worst.value)} (${where})`,
    ...judged(worst, millis),
  };
}

export function headlines(r: Results): Headline[] {
  const pairs = new Map<string, Judged[]>();
  for (const d of r.deltas) {
    const k = `${d.from}\u0000${d.to}`;
    pairs.set(k, [...(pairs.get(k) ?? []), d]);
  }
  const entries = r.architectures[0]?.entryPoints.length ?? 0;
  const out: Headline[] = [];
  for (const ds of pairs.values()) {
    const { from, to } = ds[0]!;
    const find = (m: string) => ds.find((d) => d.metric === m);
    const items: HeadlineItem[] = [];
    const cpu = find('mesh cpu used (cores)');
    const mem = find('mesh memory used (bytes)');
    if (cpu) items.push(change(cpu, 'mesh CPU', (x) => `${fmt(x)} cores`));
    if (mem) items.push(change(mem, 'mesh memory', bytes));
    const cost = costItem(r, from, to);
    if (cost) items.push(cost);
    const lat = latencyItem(ds, entries);
    if (lat) items.push(lat);
    const nodes = find('nodes used');
    if (nodes && nodes.change !== 0) items.push(change(nodes, 'nodes used', fmt));
    out.push({ from, to, items });
  }
  // The comparison between two meshes first: it is the decision; each against no mesh is its price.
  return out.sort((a, b) => Number(a.from === 'none') - Number(b.from === 'none'));
}

function itemHtml(i: HeadlineItem): string {
  const verdict =
    i.significant === undefined
      ? ''
      : ` <span class="${i.significant ? 'sig' : 'nosig'}">(${i.significant ? 'significant' : 'not significant'})</span>`;
  return `<strong>${escapeHtml(i.text)}</strong>${verdict}`;
}

const detailOf = (i: HeadlineItem) =>
  i.interval ? `${i.detail}, 95 % CI of the change ${i.interval}` : i.detail;

export function headlineHtml(r: Results): string {
  const hs = headlines(r);
  if (hs.length === 0) return '';
  const judgedAny = hs.some((h) => h.items.some((i) => i.significant !== undefined));
  const reps = `${r.scenario.replications} replication${r.scenario.replications === 1 ? '' : 's'}`;
  const note = judgedAny
    ? `<p class="note">Significant: the paired 95 % interval of the change over ${reps} excludes 0.</p>`
    : `<p class="note">Changes are differences of means over ${reps}; these results carry no paired test of significance.</p>`;
  const lines = hs.map(
    (h) =>
      `<p class="headline-line"><span class="pair">${escapeHtml(`${archName(h.to)} vs ${archName(h.from)}:`)}</span> ${h.items.map(itemHtml).join(', ')}<br><span class="detail">${escapeHtml(h.items.map(detailOf).join(' · '))}</span></p>`,
  );
  return `<div class="headline"><h3>Headline</h3>${lines.join('\n')}${note}</div>`;
}
