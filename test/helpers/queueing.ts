// Textbook queueing results the simulation is checked against.

/** Erlang B: the share of arrivals a loss system of `n` servers refuses under `a` erlangs (stable recursion). */
export function erlangB(n: number, a: number): number {
  let b = 1;
  for (let k = 1; k <= n; k++) b = (a * b) / (k + a * b);
  return b;
}

/** Erlang C: probability an arrival waits in an M/M/c queue with offered load a = lambda / mu (< c). */
export function erlangC(c: number, a: number): number {
  const b = erlangB(c, a);
  const rho = a / c;
  return b / (1 - rho + rho * b);
}

/**
 * M/M/c/K (c servers, K - c places in line) under `a` erlangs: the share of arrivals refused, and the
 * mean number waiting.
 */
export function mmck(c: number, K: number, a: number): { refused: number; waiting: number } {
  const p: number[] = [1];
  for (let n = 1; n <= K; n++) p.push((p[n - 1]! * a) / Math.min(n, c));
  const sum = p.reduce((x, y) => x + y, 0);
  let waiting = 0;
  for (let n = c + 1; n <= K; n++) waiting += ((n - c) * p[n]!) / sum;
  return { refused: p[K]! / sum, waiting };
}

/** M/M/c mean wait in line. */
export function mmcWait(c: number, lambda: number, mu: number): number {
  return erlangC(c, lambda / mu) / (c * mu - lambda);
}

/** M/D/1 mean wait in line (Pollaczek-Khinchine): rho D / (2 (1 - rho)). */
export function md1Wait(lambda: number, d: number): number {
  const rho = lambda * d;
  return (rho * d) / (2 * (1 - rho));
}
