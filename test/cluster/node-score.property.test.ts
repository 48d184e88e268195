// NodeScorer against a literal transcription of kube-scheduler's scoring (v1.31; TaintToleration,
// PodTopologySpread, InterPodAffinity, NodeAffinity, resources): one score list per
// plugin, each plugin's NormalizeScore over the list, then the weighted sum, as RunScorePlugins does it.
// NodeScorer reaches the same totals by shortcuts (a table of normalised spread scores, the default
// constraints' sum unrolled, the taints' maximum kept while adding); this checks they change nothing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NodeScorer, type SoftSpread, SYSTEM_DEFAULT_SPREAD } from '../../src/cluster/node-score.ts';

interface Candidate {
  node: number;
  zone: number;
  taints: number;
  onNode: number;
  inZone: number;
  resources: number;
  anti: number;
  preferredNode: number;
}

/** The highest total's candidates, by kube-scheduler's plugins one at a time. */
function reference(
  cands: Candidate[],
  spread: readonly SoftSpread[],
  hasAnti: boolean,
): { top: number[]; total: number[] } {
  const n = cands.length;
  // TaintToleration: raw = intolerable taints; DefaultNormalizeScore(100, reverse).
  const maxCount = Math.max(0, ...cands.map((c) => c.taints));
  const taint = cands.map((c) => (maxCount === 0 ? 100 : 100 - Math.trunc((100 * c.taints) / maxCount)));
  // PodTopologySpread: Score sums count x log(size + 2) + maxSkew - 1 per constraint, rounded.
  const zones = new Set(cands.map((c) => c.zone)).size;
  let pts = cands.map(() => 0);
  if (spread.length > 0) {
    const raw = cands.map((c) => {
      let score = 0;
      for (const k of spread) {
        const host = k.topologyKey === 'kubernetes.io/hostname';
        const weight = Math.log((host ? n : zones) + 2);
        score += (host ? c.onNode : c.inZone) * weight + (k.maxSkew - 1);
      }
      return Math.round(score);
    });
    let min = Number.MAX_SAFE_INTEGER;
    let max = 0;
    for (const r of raw) {
      if (r < min) min = r;
      if (r > max) max = r;
    }
    pts = raw.map((r) => (max === 0 ? 100 : Math.trunc((100 * (max + min - r)) / max)));
  }
  // InterPodAffinity: raw scores normalised to 100 x (score - min) / (max - min), truncated.
  let ipa = cands.map(() => 0);
  if (hasAnti) {
    const min = Math.min(...cands.map((c) => c.anti));
    const diff = Math.max(...cands.map((c) => c.anti)) - min;
    ipa = cands.map((c) => (diff > 0 ? Math.trunc(100 * ((c.anti - min) / diff)) : 0));
  }
  // NodeAffinity: DefaultNormalizeScore(100, not reversed): 100 x score / the highest, 0 when all are 0.
  const maxPreferred = Math.max(0, ...cands.map((c) => c.preferredNode));
  const na = cands.map((c) => (maxPreferred === 0 ? 0 : Math.trunc((100 * c.preferredNode) / maxPreferred)));
  const total = cands.map((c, i) => 3 * taint[i]! + 2 * pts[i]! + 2 * ipa[i]! + 2 * na[i]! + c.resources);
  const best = Math.max(...total);
  return { top: cands.filter((_, i) => total[i] === best).map((c) => c.node), total };
}

const constraint = fc.record({
  topologyKey: fc.constantFrom('kubernetes.io/hostname' as const, 'topology.kubernetes.io/zone' as const),
  maxSkew: fc.integer({ min: 1, max: 6 }),
});

const cycle = fc.record({
  spread: fc.oneof(fc.constant(SYSTEM_DEFAULT_SPREAD), fc.array(constraint, { maxLength: 3 })),
  cands: fc.uniqueArray(
    fc.record({
      node: fc.integer({ min: 0, max: 199 }),
      zone: fc.integer({ min: 0, max: 3 }),
      taints: fc.integer({ min: 0, max: 3 }),
      onNode: fc.integer({ min: 0, max: 12 }),
      inZone: fc.integer({ min: 0, max: 60 }),
      resources: fc.integer({ min: 0, max: 200 }),
      anti: fc.integer({ min: -4000, max: 0 }),
      preferredNode: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 300 })),
    }),
    { selector: (c) => c.node, minLength: 1, maxLength: 40 },
  ),
  salt: fc.oneof(
    fc.constant(0),
    fc.integer({ min: 1, max: 2 ** 31 }).map((x) => x | 1),
  ),
  hasAnti: fc.boolean(),
});

/** A cycle of `cands`; a pod without preferred anti-affinity has every raw InterPodAffinity score 0. */
function fill(scorer: NodeScorer, spread: readonly SoftSpread[], cands: Candidate[], hasAnti: boolean) {
  scorer.reset(spread);
  for (const c of cands) {
    const anti = hasAnti ? c.anti : 0;
    scorer.add(c.node, c.zone, c.taints, c.onNode, c.inZone, c.resources, anti, c.preferredNode);
  }
}

describe('NodeScorer matches kube-scheduler scoring plugin by plugin', () => {
  it('picks a node with the highest weighted total; without a salt, the first of them', () => {
    const scorer = new NodeScorer(200, 4);
    fc.assert(
      fc.property(cycle, ({ spread, cands, salt, hasAnti }) => {
        fill(scorer, spread, cands, hasAnti);
        const picked = scorer.pick(salt);
        const { top } = reference(cands, spread, hasAnti);
        expect(top).toContain(picked);
        if (salt === 0) expect(picked).toBe(top[0]);
      }),
      { numRuns: 400, seed: 20261201 },
    );
  });

  it('a tie is settled by the salt alone, not by the order the nodes were found in', () => {
    const scorer = new NodeScorer(200, 4);
    fc.assert(
      fc.property(cycle, ({ spread, cands, salt, hasAnti }) => {
        if (salt === 0) return;
        fill(scorer, spread, cands, hasAnti);
        const forward = scorer.pick(salt);
        fill(scorer, spread, [...cands].reverse(), hasAnti);
        expect(scorer.pick(salt)).toBe(forward);
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});
