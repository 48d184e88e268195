// "Did you mean" for misspelt keys, names and enum values.

/** Edit distance counting a swap of two neighbours as one edit (optimal string alignment). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    const row = d[i] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(at(i, j), at(i - 2, j - 2) + 1);
      }
    }
  }
  return at(a.length, b.length);
}

/** The closest candidate within edit distance 2 (case-insensitive), else one the word is a prefix of (or vice versa). */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  // Short words allow fewer edits, or every two-letter typo would "suggest" every short name.
  const limit = Math.min(2, Math.max(1, Math.floor(word.length / 3)));
  let bestDistance = limit + 1;
  const list = [...candidates];
  for (const c of list) {
    const d = distance(w, c.toLowerCase());
    if (d < bestDistance && c !== word) {
      best = c;
      bestDistance = d;
    }
  }
  if (best !== undefined) return best;
  if (w.length < 3) return undefined;
  return list.find((c) => c.length >= 3 && (c.toLowerCase().startsWith(w) || w.startsWith(c.toLowerCase())));
}

export function suggestion(word: string, candidates: Iterable<string>): string {
  const s = didYouMean(word, candidates);
  return s === undefined ? '' : `; did you mean ${JSON.stringify(s)}?`;
}
