// Textbook queueing results the simulation is checked against.

/** Erlang C: probability an arrival waits in an M/M/c queue with offered load a = lambda / mu (< c). */
export function erlangC(c: number, a: number): number {
  // Erlang B by its stable recursion, then C from B.
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  const rho = a / c;
  return b / (1 - rho + rho * b);
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
