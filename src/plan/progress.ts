// What the plan has done and has left, for a progress bar: simulations, not chains, since a chain may
// need one simulation or ten; and the simulated work behind them, since one at 10x growth costs ten at
// 1x. Plain counting, no clock: the CLI turns it into an ETA.

export interface PlanProgress {
  /** Simulations finished: run here, read from checkpoints or shared between node types. */
  simulations: number;
  /**
   * Simulations finished plus one for every chain still searching: what is known to be needed. It grows
   * when a chain needs more than one more simulation.
   */
  expected: number;
  /** Work of the simulations run here (reused ones cost nothing), in units of `weight`. */
  workDone: number;
  /** Work of one more simulation for every chain still searching. */
  workLeft: number;
  chainsDone: number;
  chains: number;
}

export class ProgressTally {
  private readonly finished: boolean[];
  private simulations = 0;
  private workDone = 0;

  /** `weights[i]`: the cost of one simulation of chain i (e.g. requests simulated). */
  constructor(private readonly weights: readonly number[]) {
    this.finished = weights.map(() => false);
  }

  /**
   * `fraction`: the run's work as a fraction of a full simulation's (a short screening run, screen.ts,
   * is a small one).
   */
  simulated(chain: number, how: 'run' | 'reused' | 'shared', fraction = 1): void {
    this.simulations++;
    if (how === 'run') this.workDone += this.weights[chain]! * fraction;
  }

  chainDone(chain: number): void {
    this.finished[chain] = true;
  }

  snapshot(): PlanProgress {
    let open = 0;
    let workLeft = 0;
    this.finished.forEach((done, i) => {
      if (done) return;
      open++;
      workLeft += this.weights[i]!;
    });
    return {
      simulations: this.simulations,
      expected: this.simulations + open,
      workDone: this.workDone,
      workLeft,
      chainsDone: this.finished.length - open,
      chains: this.finished.length,
    };
  }
}
