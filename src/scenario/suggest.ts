// "Did you mean" for misspelt keys, names and enum values.

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
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
    const d = levenshtein(w, c.toLowerCase());
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
