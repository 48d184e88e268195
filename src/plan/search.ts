// The search for the fewest nodes of one (architecture, node type, growth) chain. The scheduler and
// arithmetic decide requests and CPU at every candidate size (cheap); simulation gives the usage they
// are judged with and decides the latency SLOs. Every decision depends only on this chain's own results
// (and on a fixed guess), so the set of simulations run never depends on timing or worker count. The
// argument for why the answer is the true minimum is in README.md ("Why the count is right").
import {
  type Binding,
  fitBinding,
  simulatedRatio,
  sloBinding,
  sloFailures,
  sloMet,
  worstSlo,
} from './binding.ts';
import { type NodeCpu, type NodeShares, placedUsage, plannedCpu } from './node-cpu.ts';
import type { Quantile, Sample, Usage } from './sample.ts';
import { usageDistance } from './screen.ts';
import { type Undecided, undecided } from './undecided.ts';

export interface Fit {
  /** Pods that do not fit with the headroom kept free. */
  unschedulable: number;
  /** kube-scheduler's reason for the first of them ('' when all fit). */
  reason: string;
}

export interface ChainProbe {
  /** Fewest nodes by requests alone (minNodesLowerBound with headroom); Infinity if a node is too small. */
  lowerBound: number;
  /** Largest node count tried. */
  cap: number;
  cpuTarget: number;
  /** Placement with the headroom kept free (no simulation). */
  fit(nodes: number): Fit;
  /** Each node's share of each component at this size, on the real (unshrunk) nodes. */
  shares(nodes: number): NodeShares;
  simulate(nodes: number): Promise<Sample>;
  /**
   * A short run of this chain's own scenario (screen.ts): its usage aims the first full simulation;
   * `tolerance` is how far (usageDistance) from a guess it may be and still confirm it.
   */
  screen?(nodes: number): Promise<{ sample: Sample; tolerance: number }>;
  /** Usage expected before this chain has simulated anything (from another chain), to aim its first run. */
  guess?(): Promise<Usage | undefined>;
}

export interface Closest {
  /** The simulated node count whose worst condition was nearest its target. */
  nodes: number;
  cpuMax: number;
  /** Best latency seen for every SLO, over all the simulations of the chain. */
  slo: Array<{ entryPoint: string; quantile: Quantile; target: number; best: number }>;
}

export interface ChainOutcome {
  lowerBound: number;
  feasible: boolean;
  nodes: number | null;
  sample: Sample | null;
  /** Node CPU the target was judged on, at `nodes`. */
  cpuPlanned: NodeCpu | null;
  binding: Binding;
  /** Node counts simulated, in the order they were run. */
  simulated: number[];
  /** Verdicts at `nodes` (and the binding one at one fewer) whose 95 % interval holds their limit. */
  undecided: Undecided[];
  reason?: string;
  closest?: Closest;
}

/** Float noise (0.7 * 3 / 3 > 0.7) must not fail a node that sits exactly on the target. */
const FLOAT_SLACK = 1e-12;
/** Relative improvement of the worst SLO that counts as progress. */
const PLATEAU = 0.01;
/** Give up once this many times the nodes of the best probe so far made no progress (two doublings). */
const PLATEAU_SPAN = 4;
/** Rounds of "simulate where the last usage says, re-judge with the new usage" before settling. */
const ROUNDS = 4;
/** Screens before the first full run at most (screen.ts): each aims the next one. */
const SCREENS = 4;

export async function searchChain(c: ChainProbe): Promise<ChainOutcome> {
  const simulated: number[] = [];
  const samples = new Map<number, Sample>();
  const sim = async (n: number) => {
    const known = samples.get(n);
    if (known) return known;
    const x = await c.simulate(n);
    simulated.push(n);
    samples.set(n, x);
    return x;
  };
  const target = c.cpuTarget * (1 + FLOAT_SLACK);
  const cpuAt = (n: number, u: Usage) => plannedCpu(c.shares(n), u);
  const fits = (n: number) => c.fit(n).unschedulable === 0;
  const holds = (n: number, u: Usage) => fits(n) && cpuAt(n, u).max <= target;
  const start = Math.max(1, c.lowerBound);
  /**
   * The fewest nodes at which every pod fits and no node passes the CPU target, for usage `u`: every
   * count below the lower bounds fails, every count from there up is checked.
   */
  const fewest = (u: Usage): number | null => {
    const sh = c.shares(start);
    const alloc = sh.allocatableCpu[0] ?? 0;
    // The busiest node uses at least the mean, so fewer nodes than this cannot meet the target.
    const byMean = alloc > 0 ? Math.ceil(placedUsage(sh, u) / (c.cpuTarget * alloc) - 1e-9) : start;
    for (let n = Math.max(start, byMean); n <= c.cap; n++) if (holds(n, u)) return n;
    return null;
  };
  const below = (n: number, u: Usage): Binding => {
    if (n <= 1) return { constraint: 'none', nodes: null, value: null, limit: null, detail: '' };
    const f = c.fit(n - 1);
    if (f.unschedulable > 0) return fitBinding(f.unschedulable, f.reason, n - 1);
    const prev = samples.get(n - 1);
    if (prev && !sloMet(prev) && cpuAt(n - 1, u).max <= target) return sloBinding(prev, n - 1);
    const cpu = cpuAt(n - 1, prev?.usage ?? u).max;
    return { constraint: 'cpu-target', nodes: n - 1, value: cpu, limit: c.cpuTarget, detail: '' };
  };
  const fail = (binding: Binding, reason: string): ChainOutcome => {
    const out: ChainOutcome = {
      lowerBound: c.lowerBound,
      feasible: false,
      nodes: null,
      sample: null,
      cpuPlanned: null,
      binding,
      simulated,
      undecided: [],
      reason,
    };
    const closest = closestOf(samples, (n, u) => cpuAt(n, u), c.cpuTarget);
    if (closest) out.closest = closest;
    return out;
  };
  const atCap = (u: Usage | undefined): ChainOutcome => {
    const f = c.fit(c.cap);
    const what =
      f.unschedulable > 0
        ? `${f.unschedulable} pods do not fit (${f.reason})`
        : `busiest node CPU ${((u ? cpuAt(c.cap, u).max : 0) * 100).toFixed(1)}% > target`;
    const b: Binding = { constraint: 'max-nodes', nodes: c.cap, value: c.cap, limit: c.cap, detail: what };
    return fail(b, `${what} even with ${c.cap} nodes`);
  };

  if (!Number.isFinite(c.lowerBound)) {
    const detail = 'one node cannot hold the per-node DaemonSets';
    return fail({ constraint: 'daemonsets', nodes: 1, value: null, limit: null, detail }, detail);
  }
  if (start > c.cap) return atCap(undefined);

  let usage = await c.guess?.();
  const firstFit = () => {
    let n = start;
    while (n <= c.cap && !fits(n)) n++;
    return n;
  };
  if (c.screen) {
    // Screen where the guess says (where the pods first fit without one). A guess the screen confirms,
    // within the screen's own noise, is kept: it was measured over far more requests. Otherwise screen
    // again where that screen says, until a screen agrees with its own count: a count far too small
    // overloads its nodes, and the work that then piles up overstates usage, so the first screen may
    // overshoot. Screens cost little, so they take those steps instead of full runs. Only the place of
    // the first full run depends on this.
    const guessed = usage;
    let at = guessed ? fewest(guessed) : null;
    if (at === null) at = guessed && fits(c.cap) ? c.cap : firstFit();
    if (at > c.cap) return atCap(undefined);
    const screened = new Set<number>();
    for (let k = 0; k < SCREENS && !screened.has(at); k++) {
      screened.add(at);
      const x = await c.screen(at);
      if (k === 0 && guessed && usageDistance(x.sample.usage, guessed) <= x.tolerance) break;
      usage = x.sample.usage;
      const next = fewest(usage);
      if (next === null) break;
      at = next;
    }
  }
  if (!usage) {
    const first = firstFit();
    if (first > c.cap) return atCap(undefined);
    usage = (await sim(first)).usage;
  }

  // Simulate where the usage says, then judge again with that simulation's own usage, until they agree.
  // Usage hardly depends on the node count, so this settles at once; if it does not, take the first
  // count (going up only) that holds by its own simulation.
  let n: number | null = null;
  let last = 0;
  // Whether `usage` is this chain's own full simulation's (not a guess or a screen).
  let own = false;
  for (let round = 0; n === null; round++) {
    let m = fewest(usage);
    if (m === null) {
      // No count holds: a verdict, so it rests on a full simulation of this chain, at the cap (where
      // the pods fit, or the placement alone decides).
      if (own || !fits(c.cap)) return atCap(usage);
      m = c.cap;
    }
    if (round >= ROUNDS) m = Math.max(m, last + 1);
    if (m > c.cap) return atCap(usage);
    const x = await sim(m);
    usage = x.usage;
    own = true;
    last = m;
    if (round < ROUNDS ? fewest(usage) === m : holds(m, usage)) n = m;
  }

  /**
   * The first count from `from` up whose screen meets every SLO (doubling, then bisecting, on screens),
   * or null if none does up to the cap. Only aims the full runs.
   */
  const screenedEdge = async (from: number, u: Usage): Promise<number | null> => {
    let a = from;
    let b = 0;
    while (b === 0) {
      if (a >= c.cap) return null;
      let next = Math.min(c.cap, 2 * a);
      while (next < c.cap && !holds(next, u)) next++;
      if (sloMet((await c.screen!(next)).sample)) b = next;
      else a = next;
    }
    while (b - a > 1) {
      const mid = Math.floor((a + b) / 2);
      if (holds(mid, u) && sloMet((await c.screen!(mid)).sample)) b = mid;
      else a = mid;
    }
    return b;
  };
  let x = samples.get(n)!;
  if (!sloMet(x)) {
    // Latency: double until every SLO is met, then bisect, taking the SLOs to be met from some count on.
    let lo = n;
    let best = { nodes: n, ratio: simulatedRatio(x) };
    let hi = 0;
    const judge = (m: number, y: Sample) => {
      usage = y.usage;
      if (holds(m, y.usage) && sloMet(y)) hi = m;
      else {
        lo = m;
        const ratio = simulatedRatio(y);
        if (!sloMet(y) && ratio < best.ratio * (1 - PLATEAU)) best = { nodes: m, ratio };
      }
    };
    // Screens say about where the SLOs start to hold; full runs then check that count and step away
    // from it (1, 2, 4 ... nodes, down if it met them, up if not) until they bracket the edge, and
    // bisect what is left. With the SLOs met from some count on, as the bisection assumes, that is
    // the same edge the doubling finds, with fewer full runs when the screens aim well.
    const aim = c.screen ? await screenedEdge(lo, x.usage) : null;
    // Nodes to step up by next (doubling each time) when galloping up from the aim; 0: double N.
    let up = 0;
    if (aim !== null && aim > lo) {
      const y = await sim(aim);
      judge(aim, y);
      // The SLOs are met at the cap but the CPU target is not, by the cap's own usage.
      if (hi === 0 && aim >= c.cap && sloMet(y)) return atCap(y.usage);
      up = 1;
    }
    let gallop = hi !== 0;
    while (hi === 0) {
      if (lo >= c.cap)
        return fail(
          { ...sloBinding(samples.get(lo)!, lo), constraint: 'max-nodes', value: c.cap, limit: c.cap },
          `${sloFailures(samples.get(lo)!).join('; ')} even with ${c.cap} nodes`,
        );
      let next = Math.min(c.cap, up > 0 ? lo + up : 2 * lo);
      up *= 2;
      while (next < c.cap && !holds(next, usage)) next++;
      const y = await sim(next);
      usage = y.usage;
      if (holds(next, y.usage) && sloMet(y)) {
        hi = next;
        break;
      }
      if (sloMet(y)) {
        // The SLOs are met but the CPU target is not, by this count's own usage.
        if (next >= c.cap) return atCap(y.usage);
        lo = next;
        continue;
      }
      const ratio = simulatedRatio(y);
      if (ratio < best.ratio * (1 - PLATEAU)) best = { nodes: next, ratio };
      else if (next >= PLATEAU_SPAN * best.nodes)
        return fail(sloBinding(y, next), `${sloFailures(y).join('; ')} (more nodes do not help)`);
      lo = next;
    }
    for (let step = 1; hi - lo > 1; step *= 2) {
      const mid = gallop ? Math.max(lo + 1, hi - step) : Math.floor((lo + hi) / 2);
      if (!holds(mid, samples.get(hi)!.usage)) {
        lo = mid;
        gallop = false;
        continue;
      }
      const y = await sim(mid);
      if (holds(mid, y.usage) && sloMet(y)) hi = mid;
      else {
        lo = mid;
        gallop = false;
      }
    }
    n = hi;
    x = samples.get(n)!;
  }
  const binding = below(n, x.usage);
  const cpuPlanned = cpuAt(n, x.usage);
  return {
    lowerBound: c.lowerBound,
    feasible: true,
    nodes: n,
    sample: x,
    cpuPlanned,
    binding,
    simulated,
    undecided: undecided(x, n, cpuPlanned.max, c.cpuTarget, binding, samples.get(n - 1)),
  };
}

function closestOf(
  samples: ReadonlyMap<number, Sample>,
  cpuAt: (n: number, u: Usage) => NodeCpu,
  cpuTarget: number,
): Closest | undefined {
  let best: { n: number; cpu: number; excess: number } | undefined;
  const bestSlo = new Map<string, Closest['slo'][number]>();
  for (const [n, x] of samples) {
    const cpu = cpuAt(n, x.usage).max;
    const excess = Math.max(cpu / cpuTarget, worstSlo(x)?.ratio ?? 0);
    if (!best || excess < best.excess) best = { n, cpu, excess };
    for (const e of x.entryPoints) {
      for (const s of e.slo) {
        const key = `${e.name}\u0000${s.quantile}`;
        const cur = bestSlo.get(key);
        if (!cur || s.value < cur.best) {
          bestSlo.set(key, { entryPoint: e.name, quantile: s.quantile, target: s.target, best: s.value });
        }
      }
    }
  }
  if (!best) return undefined;
  return { nodes: best.n, cpuMax: best.cpu, slo: [...bestSlo.values()] };
}
