import type { GroupUsage } from './processor.ts';

/**
 * The per-group state of a Processor in growable typed arrays (indexed by group id), the list of busy
 * groups, and the division of the cores among them. Fields are public to the Processor that owns them.
 */
export class ProcessorGroups {
  nGroups = 0;
  gWeight = new Float64Array(8);
  gLimit = new Float64Array(8);
  gJobs = new Int32Array(8);
  gAllowed = new Float64Array(8); // min(jobs, limit)
  gRate = new Float64Array(8); // cores the group receives now
  gTarget = new Float64Array(8); // cores the last division gave it
  gClock = new Float64Array(8); // virtual time: work done by each of its jobs
  gLast = new Float64Array(8);
  gNext = new Float64Array(8); // time of its next completion at the current rates
  gWanted = new Float64Array(8);
  gAllowedArea = new Float64Array(8);
  gServed = new Float64Array(8);
  gCompleted = new Float64Array(8);
  gActivePos = new Int32Array(8);
  gKey = new Float64Array(8); // allowance per unit weight: the water level at which it is capped
  gDividedAllowed = new Float64Array(8); // allowance at the last division
  gDirty = new Uint8Array(8); // its jobs changed since the last rebalance

  // busy groups, kept sorted by gKey when the cores are divided
  active = new Int32Array(8);
  nActive = 0;

  /** Makes room for one more group; returns its id. */
  add(weight: number, limit: number, now: number): number {
    const g = this.nGroups++;
    if (g === this.gWeight.length) this.grow();
    this.gWeight[g] = weight;
    this.gLimit[g] = limit;
    this.gLast[g] = now;
    this.gActivePos[g] = -1;
    return g;
  }

  activate(g: number): void {
    if (this.nActive === this.active.length) this.active = grow(this.active, this.active.length * 2);
    this.gActivePos[g] = this.nActive;
    this.active[this.nActive++] = g;
  }

  deactivate(g: number): void {
    const pos = this.gActivePos[g]!;
    const last = this.active[--this.nActive]!;
    this.active[pos] = last;
    this.gActivePos[last] = pos;
    this.gActivePos[g] = -1;
    this.gRate[g] = 0;
    this.gClock[g] = 0;
    this.gDividedAllowed[g] = -1; // its leaving, and any return, changes the division
  }

  /** Brings a group's virtual clock and integrals to `now` at its current rate. */
  advance(g: number, now: number): void {
    const dt = now - this.gLast[g]!;
    if (dt <= 0) return;
    const n = this.gJobs[g]!;
    if (n > 0) {
      const rate = this.gRate[g]!;
      this.gClock[g]! += (dt * rate) / n;
      this.gWanted[g]! += n * dt;
      this.gAllowedArea[g]! += this.gAllowed[g]! * dt;
      this.gServed[g]! += rate * dt;
    }
    this.gLast[g] = now;
  }

  usage(g: number, now: number): GroupUsage {
    const dt = now - this.gLast[g]!;
    const wanted = this.gWanted[g]! + this.gJobs[g]! * dt;
    const allowed = this.gAllowedArea[g]! + this.gAllowed[g]! * dt;
    const served = this.gServed[g]! + this.gRate[g]! * dt;
    return {
      wanted,
      served,
      throttled: wanted - allowed,
      starved: Math.max(0, allowed - served),
      completed: this.gCompleted[g]!,
    };
  }

  /**
   * Divides `cores` among the busy groups into gTarget by water-filling: groups whose allowance is below
   * the water level get it, the rest weight x level, the level set so the cores are all used.
   */
  divide(cores: number): void {
    const A = this.active;
    const K = this.gKey;
    const n = this.nActive;
    // insertion sort on the water level at which each group is capped; nearly sorted between events
    for (let i = 1; i < n; i++) {
      const g = A[i]!;
      const k = K[g]!;
      let j = i - 1;
      while (j >= 0 && K[A[j]!]! > k) {
        A[j + 1] = A[j]!;
        this.gActivePos[A[j + 1]!] = j + 1;
        j--;
      }
      A[j + 1] = g;
      this.gActivePos[g] = j + 1;
    }
    let weights = 0;
    for (let i = 0; i < n; i++) {
      const g = A[i]!;
      weights += this.gWeight[g]!;
      this.gDividedAllowed[g] = this.gAllowed[g]!;
    }
    let left = cores;
    let i = 0;
    for (; i < n; i++) {
      const g = A[i]!;
      const allowed = this.gAllowed[g]!;
      const w = this.gWeight[g]!;
      if (allowed * weights > left * w) break;
      this.gTarget[g] = allowed;
      left -= allowed;
      weights -= w;
    }
    const level = left / weights;
    for (; i < n; i++) {
      const g = A[i]!;
      this.gTarget[g] = this.gWeight[g]! * level;
    }
  }

  /** The busy group with the earliest next completion (lowest id on ties), -1 when none is busy. */
  earliest(): number {
    let best = Number.POSITIVE_INFINITY;
    let group = -1;
    for (let i = 0; i < this.nActive; i++) {
      const g = this.active[i]!;
      const t = this.gNext[g]!;
      if (t < best || (t === best && g < group)) {
        best = t;
        group = g;
      }
    }
    return group;
  }

  private grow(): void {
    const cap = this.gWeight.length * 2;
    this.gWeight = grow(this.gWeight, cap);
    this.gLimit = grow(this.gLimit, cap);
    this.gJobs = grow(this.gJobs, cap);
    this.gAllowed = grow(this.gAllowed, cap);
    this.gRate = grow(this.gRate, cap);
    this.gTarget = grow(this.gTarget, cap);
    this.gClock = grow(this.gClock, cap);
    this.gLast = grow(this.gLast, cap);
    this.gNext = grow(this.gNext, cap);
    this.gWanted = grow(this.gWanted, cap);
    this.gAllowedArea = grow(this.gAllowedArea, cap);
    this.gServed = grow(this.gServed, cap);
    this.gCompleted = grow(this.gCompleted, cap);
    this.gActivePos = grow(this.gActivePos, cap);
    this.gKey = grow(this.gKey, cap);
    this.gDividedAllowed = grow(this.gDividedAllowed, cap);
    this.gDirty = grow(this.gDirty, cap);
  }
}

export function grow<A extends Float64Array | Int32Array | Uint8Array>(from: A, cap: number): A {
  const to = new (from.constructor as new (n: number) => A)(cap);
  to.set(from);
  return to;
}

/** The arguments a Processor is given for its cores and its groups, checked where they come in. */
export function checkCores(cores: number): void {
  if (!(cores > 0 && cores < Number.POSITIVE_INFINITY)) {
    throw new RangeError(`Processor: cores must be a finite number > 0, got ${cores}`);
  }
}

export function checkGroupParams(weight: number, limit: number): void {
  if (!(weight > 0 && weight < Number.POSITIVE_INFINITY)) {
    throw new RangeError(`Processor: a group's weight must be a finite number > 0, got ${weight}`);
  }
  if (!(limit > 0)) throw new RangeError(`Processor: a group's limit must be > 0 cores, got ${limit}`);
}
