// The search for the fewest nodes of one (architecture, node type, growth) chain. Arithmetic and the
// scheduler decide what they can (cheap); simulation decides the rest. Every decision depends only on
// this chain's own results, so the set of simulations run never depends on timing or worker count.
import { judge, type Quantile, type Sample } from './sample.ts';

export interface ChainProbe {
  /** Fewest nodes by requests alone (minNodesLowerBound with headroom); Infinity if a node is too small. */
  lowerBound: number;
  /** Largest node count tried. */
  cap: number;
  cpuTarget: number;
  /** Every pod fits with the headroom kept free (placement only, no simulation). */
  schedulable(nodes: number): boolean;
  simulate(nodes: number): Promise<Sample>;
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
  /** Node counts simulated, in the order they were run. */
  simulated: number[];
  reason?: string;
  closest?: Closest;
}

/** Relative improvement of the worst condition that counts as progress. */
const PLATEAU = 0.01;
/** Give up once this many times the nodes of the best probe so far made no progress (two doublings). */
const PLATEAU_SPAN = 4;

/**
 * Where to look next above an infeasible `n`. The first step trusts a model: mean CPU per node falls as
 * 1/N when the load spreads, so aim straight at the target (a latency SLO has no such model: double).
 * Once the model has missed, double, so the bracket is found in a logarithmic number of simulations.
 */
function nextNodes(
  n: number,
  x: Sample,
  cpuTarget: number,
  modelMissed: boolean,
): { n: number; model: boolean } {
  const cpu = x.cpu.max > cpuTarget ? Math.ceil((n * x.cpu.max) / cpuTarget - 1e-9) : n;
  const slo = x.entryPoints.some((e) => e.slo.some((s) => !s.met)) ? 2 * n : n;
  const next = Math.max(n + 1, cpu, slo, modelMissed ? 2 * n : n);
  return { n: next, model: next === cpu && !modelMissed };
}

export async function searchChain(c: ChainProbe): Promise<ChainOutcome> {
  const simulated: number[] = [];
  const samples = new Map<number, Sample>();
  const sim = async (n: number) => {
    const x = await c.simulate(n);
    simulated.push(n);
    samples.set(n, x);
    return x;
  };
  const fail = (reason: string): ChainOutcome => {
    const out: ChainOutcome = {
      lowerBound: c.lowerBound,
      feasible: false,
      nodes: null,
      sample: null,
      simulated,
      reason,
    };
    const closest = closestOf(samples, c.cpuTarget);
    if (closest) out.closest = closest;
    return out;
  };

  if (!Number.isFinite(c.lowerBound)) return fail('one node cannot hold the per-node DaemonSets');
  let n = Math.max(1, c.lowerBound);
  if (n > c.cap) return fail(`requests need ${n} nodes, more than the cap of ${c.cap}`);
  while (n <= c.cap && !c.schedulable(n)) n++;
  if (n > c.cap) return fail(`pods do not fit with up to ${c.cap} nodes`);

  // Bracket: the last infeasible count (placement or simulation) below the first feasible one.
  let lo = n - 1;
  let hi = 0;
  let best = { nodes: n, excess: Number.POSITIVE_INFINITY };
  let model = false;
  for (let step = 0; ; step++) {
    const x = await sim(n);
    const v = judge(x, c.cpuTarget);
    if (v.feasible) {
      hi = n;
      break;
    }
    lo = n;
    if (v.excess < best.excess * (1 - PLATEAU)) best = { nodes: n, excess: v.excess };
    else if (n >= PLATEAU_SPAN * best.nodes) return fail(`${v.failed.join('; ')} (more nodes do not help)`);
    if (n >= c.cap) return fail(`${v.failed.join('; ')} even with ${c.cap} nodes`);
    const next = nextNodes(n, x, c.cpuTarget, step > 0);
    model = next.model && next.n <= c.cap;
    n = Math.min(c.cap, next.n);
    while (n < c.cap && !c.schedulable(n)) n++;
    if (!c.schedulable(n)) return fail(`pods do not fit with ${c.cap} nodes`);
  }

  // Feasibility is taken to be monotone in N: bisect between the bracket's ends. When the CPU model's
  // jump landed on a feasible count, it is most likely the minimum: try just below it first.
  while (hi - lo > 1) {
    const mid = model ? hi - 1 : Math.floor((lo + hi) / 2);
    model = false;
    if (c.schedulable(mid) && judge(await sim(mid), c.cpuTarget).feasible) hi = mid;
    else lo = mid;
  }
  return { lowerBound: c.lowerBound, feasible: true, nodes: hi, sample: samples.get(hi)!, simulated };
}

function closestOf(samples: ReadonlyMap<number, Sample>, cpuTarget: number): Closest | undefined {
  let best: { n: number; x: Sample; excess: number } | undefined;
  const bestSlo = new Map<string, Closest['slo'][number]>();
  for (const [n, x] of samples) {
    const { excess } = judge(x, cpuTarget);
    if (!best || excess < best.excess) best = { n, x, excess };
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
  return { nodes: best.n, cpuMax: best.x.cpu.max, slo: [...bestSlo.values()] };
}
