// Reuse across chains: the first simulation of an architecture (at the lowest growth, on the first node
// type) tells every other chain of that architecture roughly what its components use, scaled by growth.
// The guess only aims a chain's first simulation; the chain then judges with its own simulated usage, so
// a poor guess costs simulations, never correctness. A chain waits for its guess, and the guess is a
// fixed simulation, so what runs never depends on timing.
import type { Architecture } from '../scenario/index.ts';
import type { Usage } from './sample.ts';

interface Deferred {
  promise: Promise<{ usage: Usage; growth: number } | undefined>;
  resolve(v: { usage: Usage; growth: number } | undefined): void;
}

function deferred(): Deferred {
  let resolve!: Deferred['resolve'];
  const promise = new Promise<{ usage: Usage; growth: number } | undefined>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/**
 * Usage grows with load about in proportion: the application's and the proxies' CPU per request do not
 * change with the node count, and istiod's small share is scaled too (an over-estimate that only moves
 * the first simulation).
 */
export function scaleUsage(u: Usage, factor: number): Usage {
  return Object.fromEntries(Object.entries(u).map(([c, x]) => [c, (x ?? 0) * factor])) as Usage;
}

export function usageGuesses(
  specs: ReadonlyArray<{ architecture: Architecture; growth: number }>,
  growth: readonly number[],
) {
  const lowest = Math.min(...growth);
  const refs = new Map<Architecture, { index: number; d: Deferred }>();
  specs.forEach((c, i) => {
    if (c.growth === lowest && !refs.has(c.architecture))
      refs.set(c.architecture, { index: i, d: deferred() });
  });
  return {
    /** The chain whose first simulation chain `i` takes its guess from (`i` itself for a reference). */
    reference(i: number): number {
      return refs.get(specs[i]!.architecture)!.index;
    },
    forChain(i: number): {
      guess?: () => Promise<Usage | undefined>;
      onFirstUsage?: (u: Usage) => void;
    } {
      const c = specs[i]!;
      const ref = refs.get(c.architecture)!;
      if (ref.index === i) return { onFirstUsage: (usage) => ref.d.resolve({ usage, growth: c.growth }) };
      return {
        guess: async () => {
          const r = await ref.d.promise;
          return r ? scaleUsage(r.usage, c.growth / r.growth) : undefined;
        },
      };
    },
    /** The chain has ended: a reference that never simulated leaves the others without a guess. */
    settle(i: number): void {
      const ref = refs.get(specs[i]!.architecture);
      if (ref?.index === i) ref.d.resolve(undefined);
    },
  };
}
