// The search alone, against synthetic clusters: the true minimum is known by construction (or by brute
// force over every count), so every threshold can be checked and the simulations counted.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ChainProbe,
  type NodeShares,
  type Sample,
  searchChain,
  type Usage,
} from '../../src/plan/index.ts';

const TARGET = 0.7;

function sample(nodes: number, app: number, p99 = 0.001, slo?: number): Sample {
  return {
    nodes,
    unschedulable: 0,
    memoryShortNodes: 0,
    memoryExcess: 0,
    cpu: { mean: app / nodes, max: app / nodes },
    entryPoints: [
      {
        name: 'web',
        p50: p99 / 2,
        p99,
        p999: p99,
        slo: slo === undefined ? [] : [{ quantile: 'p99', target: slo, value: p99, met: p99 <= slo }],
      },
    ],
    monthly: { nodes: nodes * 73, crossZone: 0, proxyFee: 0, total: nodes * 73 },
    meshShare: 0,
    ztunnelForBusiest: null,
    replications: 1,
    usage: { application: app },
  };
}

/** `n` nodes of one core; node i takes `weights(n)[i]` of the application's usage. */
function shares(n: number, weights?: (n: number) => number[]): NodeShares {
  const w = weights ? weights(n) : Array.from({ length: n }, () => 1);
  const sum = w.reduce((a, b) => a + b, 0);
  return {
    allocatableCpu: new Float64Array(n).fill(1),
    shares: new Map([['application', Float64Array.from(w, (x) => x / sum)]]),
  };
}

type Probe = ChainProbe & { runs: number[] };

/** `curve(n)`: what a simulation at n nodes gives. Every count fits unless `fit` says otherwise. */
function probe(curve: (n: number) => Sample, o: Partial<ChainProbe> = {}): Probe {
  const runs: number[] = [];
  return {
    lowerBound: 1,
    cap: 200,
    cpuTarget: TARGET,
    fit: () => ({ unschedulable: 0, reason: '' }),
    shares: (n) => shares(n),
    async simulate(n) {
      runs.push(n);
      return curve(n);
    },
    runs,
    ...o,
  };
}

const guess = (u: Usage | undefined) => async () => u;

// Uneven placements: which node is heaviest, and by how much, changes from one count to the next.
const uneven = (seed: number) => (n: number) =>
  Array.from({ length: n }, (_, i) => 1 + ((i * 7919 + n * 104729 + seed) % 13) / 10);

describe('searchChain: requests and CPU', () => {
  it('finds every CPU threshold with one simulation when the guess is right', async () => {
    for (let t = 1; t <= 60; t++) {
      // Usage of 0.7 t cores meets the 70 % target on t one-core nodes, not on t - 1.
      const p = probe((n) => sample(n, TARGET * t), { guess: guess({ application: TARGET * t }) });
      const out = await searchChain(p);
      expect(out.nodes).toBe(t);
      expect(p.runs).toEqual([t]);
      if (t > 1) {
        expect(out.binding).toMatchObject({ constraint: 'cpu-target', nodes: t - 1, limit: TARGET });
        expect(out.binding.value).toBeCloseTo((TARGET * t) / (t - 1), 12);
      } else expect(out.binding.constraint).toBe('none');
    }
  });

  it('without a guess, simulates where the pods first fit, then where the usage says', async () => {
    const p = probe((n) => sample(n, TARGET * 9), { lowerBound: 4, fit: (n) => fitFrom(7, n) });
    const out = await searchChain(p);
    expect(out.nodes).toBe(9);
    expect(p.runs).toEqual([7, 9]);
  });

  it('is the fewest count that holds even when the busiest node jumps with the count', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 1e6 }),
        fc.double({ min: 0.5, max: 40, noNaN: true }),
        async (seed, app) => {
          const p = probe((n) => sample(n, app), { shares: (n) => shares(n, uneven(seed)) });
          const out = await searchChain(p);
          let brute = 1;
          while (brute <= 200 && maxShare(shares(brute, uneven(seed))) * app > TARGET * (1 + 1e-12)) brute++;
          expect(out.nodes).toBe(brute);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('settles when usage changes a little with the count, judging each count by its own usage', async () => {
    // More nodes, a little more usage (per-node overheads): 0.7 * 10 cores plus 1 % per node.
    const app = (n: number) => TARGET * 10 * (1 + 0.01 * n);
    const p = probe((n) => sample(n, app(n)));
    const out = await searchChain(p);
    const n = out.nodes!;
    expect(app(n) / n).toBeLessThanOrEqual(TARGET);
    expect(app(n) / (n - 1)).toBeGreaterThan(TARGET);
    expect(out.binding.constraint).toBe('cpu-target');
  });

  it('skips counts the scheduler rejects, and says which resource binds', async () => {
    const p = probe((n) => sample(n, 0.1), {
      lowerBound: 4,
      fit: (n) =>
        n >= 7
          ? { unschedulable: 0, reason: '' }
          : { unschedulable: 7 - n, reason: `0/${n} nodes are available: ${n} Insufficient memory.` },
    });
    const out = await searchChain(p);
    expect(out.nodes).toBe(7);
    expect(p.runs).toEqual([7]);
    expect(out.binding).toMatchObject({ constraint: 'memory', nodes: 6, value: 1, limit: 0 });
  });

  it('reports infeasible at the cap, and when one node cannot hold the DaemonSets', async () => {
    const capped = await searchChain(probe((n) => sample(n, TARGET * 50), { cap: 20 }));
    expect(capped).toMatchObject({ feasible: false, nodes: null });
    expect(capped.reason).toMatch(/20 nodes/);
    expect(capped.binding).toMatchObject({ constraint: 'max-nodes', value: 20, limit: 20 });
    const tooSmall = await searchChain(probe(() => sample(1, 0), { lowerBound: Number.POSITIVE_INFINITY }));
    expect(tooSmall.reason).toMatch(/DaemonSets/);
    expect(tooSmall.binding.constraint).toBe('daemonsets');
    expect(tooSmall.simulated).toEqual([]);
  });

  it('judges the busiest node against the target, inclusive', async () => {
    expect((await searchChain(probe((n) => sample(n, 2.1)))).nodes).toBe(3);
    expect((await searchChain(probe((n) => sample(n, 2.1000001)))).nodes).toBe(4);
  });
});

describe('searchChain: screening runs', () => {
  type Screened = Probe & { screens: number[] };
  /** `screened(n)`: what a short screening run at n nodes gives (the search only aims with it). */
  /** Screens measure `screened(n)` and may stray 1 % from a guess and still confirm it. */
  function screening(
    curve: (n: number) => Sample,
    screened: (n: number) => Usage,
    o: Partial<ChainProbe> = {},
  ) {
    const p = probe(curve, o) as Screened;
    p.screens = [];
    p.screen = async (n) => {
      p.screens.push(n);
      return { sample: { ...curve(n), usage: screened(n) }, tolerance: 0.01 };
    };
    return p;
  }

  it('keeps a guess its screen confirms within the screen noise', async () => {
    // The guess, 0.7 x 20 cores, is right; the screen reads 0.8 % high, which alone would say 21.
    const p = screening(
      (n) => sample(n, TARGET * 20),
      () => ({ application: TARGET * 20 * 1.008 }),
      { guess: guess({ application: TARGET * 20 }) },
    );
    expect((await searchChain(p)).nodes).toBe(20);
    expect(p.screens).toEqual([20]);
    expect(p.runs).toEqual([20]);
  });

  it('screens until a screen agrees with its count, then runs one full simulation there', async () => {
    // 0.7 x 20 cores: 20 nodes. A count below 16 overloads, and the work that piles up there doubles
    // what is measured; the guess (0.7 x 8) points at 8.
    const used = (n: number) => TARGET * 20 * (n < 16 ? 2 : 1);
    const p = screening(
      (n) => sample(n, used(n)),
      (n) => ({ application: used(n) * 0.999 }),
      { guess: guess({ application: TARGET * 8 }) },
    );
    const out = await searchChain(p);
    expect(out.nodes).toBe(20);
    // 8 nodes: 27.97 cores measured, 40 nodes; 40: 13.99, 20 nodes; 20: 20 again, settled.
    expect(p.screens).toEqual([8, 40, 20]);
    expect(p.runs).toEqual([20]);
    expect(out.simulated).toEqual([20]);
  });

  it('is the same answer whatever the screens say, when usage does not depend on the count', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 1e6 }),
        fc.double({ min: 0.5, max: 40, noNaN: true }),
        fc.double({ min: 0.2, max: 5, noNaN: true }),
        fc.double({ min: 0.2, max: 5, noNaN: true }),
        async (seed, app, guessed, screenError) => {
          const sh = (n: number) => shares(n, uneven(seed));
          const p = screening(
            (n) => sample(n, app),
            (n) => ({ application: app * screenError ** (1 / n) }),
            { shares: sh, guess: guess({ application: app * guessed }) },
          );
          const out = await searchChain(p);
          let brute = 1;
          while (brute <= 200 && maxShare(sh(brute)) * app > TARGET * (1 + 1e-12)) brute++;
          expect(out.nodes).toBe(brute);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('calls a chain infeasible only on its own full simulation at the cap, not on a screen', async () => {
    // Screens (and the guess) say 30 cores; the full runs say 50: more than 20 one-core nodes hold.
    const p = screening(
      (n) => sample(n, TARGET * 50),
      () => ({ application: TARGET * 30 }),
      {
        cap: 20,
        guess: guess({ application: TARGET * 30 }),
      },
    );
    const out = await searchChain(p);
    expect(out).toMatchObject({ feasible: false, nodes: null });
    expect(p.screens).toEqual([20]);
    expect(p.runs).toEqual([20]);
    expect(out.closest!.nodes).toBe(20);
    expect(out.closest!.cpuMax).toBeCloseTo((TARGET * 50) / 20, 12);
    // A screen that says the cap is too small does not decide alone either: the full run says 18.
    const q = screening(
      (n) => sample(n, TARGET * 18),
      () => ({ application: TARGET * 30 }),
      { cap: 20 },
    );
    const ok = await searchChain(q);
    expect(ok.nodes).toBe(18);
    expect(q.screens).toEqual([1]);
    expect(q.runs).toEqual([20, 18]);
  });
});

describe('searchChain: memory by max(request, use)', () => {
  it('nodes short of memory below 6 nodes push the count to 6, and the row says memory bound it', async () => {
    const p = probe((n) => ({
      ...sample(n, 0.1),
      memoryShortNodes: n < 6 ? 6 - n : 0,
      memoryExcess: n < 6 ? 6 / n : 0,
    }));
    const out = await searchChain(p);
    expect(out.nodes).toBe(6);
    expect(out.binding).toMatchObject({ constraint: 'memory', nodes: 5, limit: 1 });
    expect(out.binding.value).toBeCloseTo(6 / 5, 12);
  });
});

describe('searchChain: latency SLOs', () => {
  it('finds every latency threshold by doubling then bisecting', async () => {
    for (let t = 1; t <= 100; t++) {
      // p99 improves with more nodes and meets the 10 ms SLO exactly from t nodes on.
      const p = probe((n) => sample(n, 0.1, n >= t ? 0.009 : 0.01 * (t / n) ** 0.1, 0.01));
      const out = await searchChain(p);
      expect(out.nodes).toBe(t);
      expect(p.runs.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(t + 1)) + 2);
      if (t > 1) expect(out.binding).toMatchObject({ constraint: 'slo', nodes: t - 1, limit: 0.01 });
    }
  });

  it('finds every latency threshold when screens aim the full runs, however far off they are', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 150 }),
        fc.integer({ min: -40, max: 40 }),
        async (t, off) => {
          // Full runs meet the 10 ms SLO from t nodes on; screens from t + off on (at least 1).
          const p99 = (edge: number) => (n: number) => (n >= edge ? 0.009 : 0.01 * (edge / n) ** 0.1);
          const full = p99(t);
          const screened = p99(Math.max(1, t + off));
          const runs: number[] = [];
          const out = await searchChain({
            ...probe((n) => sample(n, 0.1, full(n), 0.01)),
            async simulate(n) {
              runs.push(n);
              return sample(n, 0.1, full(n), 0.01);
            },
            async screen(n) {
              return { sample: sample(n, 0.1, screened(n), 0.01), tolerance: 0.01 };
            },
          });
          expect(out.nodes).toBe(t);
          expect(out.binding).toMatchObject({ constraint: 'slo', nodes: t - 1, limit: 0.01 });
          // A screen on the edge leaves the full runs only the edge and its neighbour to check.
          if (off === 0) expect(runs).toEqual([1, t, t - 1].filter((n, i, a) => a.indexOf(n) === i));
          else expect(runs.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(Math.abs(off) + 1)) + 4);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reports an SLO no node count meets as infeasible, with the best latency seen', async () => {
    // The latency floor (2 ms) is above the SLO (1 ms): more nodes barely help.
    const p99 = (n: number) => 0.002 + 0.00001 / n;
    const p = probe((n) => sample(n, 0.2, p99(n), 0.001));
    const out = await searchChain(p);
    expect(out.feasible).toBe(false);
    expect(out.nodes).toBeNull();
    expect(out.reason).toMatch(/web p99 2\.00 ms > SLO \(more nodes do not help\)/);
    expect(out.binding).toMatchObject({ constraint: 'slo', limit: 0.001 });
    const best = Math.min(...p.runs.map(p99));
    expect(out.closest!.slo[0]).toMatchObject({ entryPoint: 'web', quantile: 'p99', target: 0.001, best });
    // Gave up after two doublings brought no progress, long before the cap of 200.
    expect(p.runs).toEqual([1, 2, 4]);
  });
});

function fitFrom(first: number, n: number) {
  return n >= first
    ? { unschedulable: 0, reason: '' }
    : { unschedulable: first - n, reason: `0/${n} nodes are available: ${n} Insufficient cpu.` };
}

describe('searchChain: verdicts the replications left open', () => {
  /** `sample` with 95 % half-widths: `sloHalf` on its p99, `cpuRel` on its total CPU. */
  const wide = (n: number, app: number, p99: number, slo: number, sloHalf: number, cpuRel: number) => {
    const x = sample(n, app, p99, slo);
    x.entryPoints[0]!.slo[0]!.half = sloHalf;
    x.cpuRel = cpuRel;
    x.replications = 3;
    return x;
  };

  it('names an SLO whose interval holds its target, and none when every interval clears it', async () => {
    // 10 nodes by CPU (0.7 x 10 cores); p99 50 ms against 60 ms.
    const open = await searchChain(probe((n) => wide(n, TARGET * 10, 0.05, 0.06, 0.02, 0)));
    expect(open.nodes).toBe(10);
    expect(open.undecided).toEqual([
      { constraint: 'slo', nodes: 10, detail: 'web p99', value: 0.05, half: 0.02, limit: 0.06 },
    ]);
    const settled = await searchChain(probe((n) => wide(n, TARGET * 10, 0.05, 0.06, 0.009, 0)));
    expect(settled.nodes).toBe(10);
    expect(settled.undecided).toEqual([]);
  });

  it('names the CPU target at the count and at one fewer when the usage interval reaches it', async () => {
    // 9.9 cores' worth at 70 %: 69.3 % a node at 10 nodes, 77 % at 9. A 2 % interval on the usage
    // reaches 70 % at 10 only; a 12 % one reaches it at 9 too.
    const app = TARGET * 9.9;
    const near = await searchChain(probe((n) => wide(n, app, 0.001, 1, 0, 0.02)));
    expect(near.nodes).toBe(10);
    expect(near.undecided.map((u) => [u.constraint, u.nodes])).toEqual([['cpu-target', 10]]);
    expect(near.undecided[0]!.value).toBeCloseTo(app / 10, 12);
    expect(near.undecided[0]!.half).toBeCloseTo((app / 10) * 0.02, 12);
    const far = await searchChain(probe((n) => wide(n, app, 0.001, 1, 0, 0.12)));
    expect(far.undecided.map((u) => [u.constraint, u.nodes])).toEqual([
      ['cpu-target', 10],
      ['cpu-target', 9],
    ]);
    const none = await searchChain(probe((n) => wide(n, app, 0.001, 1, 0, 0.005)));
    expect(none.undecided).toEqual([]);
  });

  it('names the binding SLO at one fewer when its interval holds the target', async () => {
    // CPU allows 5 nodes; p99 is 70 ms at 5-7 nodes and 40 ms from 8 on, against 60 ms, each +-15 ms.
    const p99 = (n: number) => (n >= 8 ? 0.04 : 0.07);
    const open = await searchChain(probe((n) => wide(n, TARGET * 5, p99(n), 0.06, 0.015, 0)));
    expect(open.nodes).toBe(8);
    expect(open.binding).toMatchObject({ constraint: 'slo', nodes: 7 });
    expect(open.undecided).toEqual([
      { constraint: 'slo', nodes: 7, detail: 'web p99', value: 0.07, half: 0.015, limit: 0.06 },
    ]);
  });
});

function maxShare(sh: NodeShares): number {
  return Math.max(...sh.shares.get('application')!);
}
