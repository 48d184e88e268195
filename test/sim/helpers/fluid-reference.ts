// A brute-force fluid model of the Processor's sharing rule, to check it against: at every event it
// re-divides the cores from scratch (iterative water-filling) and scans every job for the next completion.

export interface RefGroup {
  weight: number;
  limit: number;
}
export interface RefStart {
  at: number;
  group: number;
  work: number;
}
export interface RefAbort {
  at: number;
  /** Index into the starts. */
  job: number;
}
export interface RefResult {
  /** Completion time per start (NaN when aborted first). */
  finished: number[];
  /** Remaining work per start when aborted (NaN when it completed or the abort found it gone). */
  abortedLeft: number[];
  served: number[];
}

/** Cores per group under the rule: allowance min(jobs, limit), water-filling by weight above the cores. */
export function divide(cores: number, groups: RefGroup[], jobs: number[]): number[] {
  const rate = groups.map(() => 0);
  const open = new Set<number>();
  groups.forEach((_, g) => {
    if (jobs[g]! > 0) open.add(g);
  });
  let left = cores;
  for (;;) {
    let weights = 0;
    for (const g of open) weights += groups[g]!.weight;
    const level = left / weights;
    let fixed = false;
    for (const g of [...open]) {
      const allowed = Math.min(jobs[g]!, groups[g]!.limit);
      if (allowed <= groups[g]!.weight * level) {
        rate[g] = allowed;
        left -= allowed;
        open.delete(g);
        fixed = true;
      }
    }
    if (!fixed) {
      for (const g of open) rate[g] = groups[g]!.weight * level;
      return rate;
    }
    if (open.size === 0) return rate;
  }
}

export function runReference(
  cores: number,
  groups: RefGroup[],
  starts: RefStart[],
  aborts: RefAbort[],
): RefResult {
  const finished = starts.map(() => Number.NaN);
  const abortedLeft = starts.map(() => Number.NaN);
  const served = groups.map(() => 0);
  const live = new Map<number, number>(); // start index -> remaining work
  const external = [
    ...starts.map((s, i) => ({ at: s.at, kind: 0, i })),
    ...aborts.map((a, i) => ({ at: a.at, kind: 1, i })),
  ].sort((a, b) => a.at - b.at || a.kind - b.kind || a.i - b.i);
  let now = 0;
  let next = 0;
  while (next < external.length || live.size > 0) {
    const jobs = groups.map(() => 0);
    for (const j of live.keys()) jobs[starts[j]!.group]!++;
    const rate = divide(cores, groups, jobs);
    const speed = (j: number) => rate[starts[j]!.group]! / jobs[starts[j]!.group]!;
    let soonest = Number.POSITIVE_INFINITY;
    for (const [j, w] of live) soonest = Math.min(soonest, now + w / speed(j));
    const ext = next < external.length ? external[next]!.at : Number.POSITIVE_INFINITY;
    const t = Math.min(soonest, ext);
    for (const [j, w] of live) {
      const done = (t - now) * speed(j);
      live.set(j, w - done);
      served[starts[j]!.group]! += done;
    }
    now = t;
    for (const [j, w] of [...live]) {
      if (w <= 1e-12 * Math.max(1, starts[j]!.work)) {
        live.delete(j);
        finished[j] = now;
      }
    }
    while (next < external.length && external[next]!.at <= now) {
      const e = external[next++]!;
      if (e.kind === 0) live.set(e.i, starts[e.i]!.work);
      else {
        const j = aborts[e.i]!.job;
        if (live.has(j)) {
          abortedLeft[j] = Math.max(0, live.get(j)!);
          live.delete(j);
        }
      }
    }
  }
  return { finished, abortedLeft, served };
}
