// Hands jobs to a runner at most `slots` at a time, the most urgent first. Each chain has at most one job
// waiting, so this decides which chain moves next: the costliest chains (most load) first, as in
// longest-processing-time-first scheduling, so the cheap ones fill the gaps at the end instead of a long
// chain running alone on one core. Order affects only wall time, never results.
import type { Job } from './job.ts';
import type { Runner } from './runner.ts';
import type { Simulated } from './worker.ts';

interface Waiting {
  job: Job;
  /** Lower runs first. */
  rank: number[];
  signal: AbortSignal | undefined;
  resolve(r: Simulated): void;
  reject(e: unknown): void;
}

function before(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return a.length < b.length;
}

export class JobQueue {
  private readonly waiting: Waiting[] = [];
  private running = 0;

  constructor(
    private readonly runner: Runner,
    private readonly slots: number,
  ) {}

  run(job: Job, rank: number[], signal?: AbortSignal): Promise<Simulated> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ job, rank, signal, resolve, reject });
      this.next();
    });
  }

  private next(): void {
    while (this.running < this.slots && this.waiting.length > 0) {
      let best = 0;
      for (let i = 1; i < this.waiting.length; i++) {
        if (before(this.waiting[i]!.rank, this.waiting[best]!.rank)) best = i;
      }
      const w = this.waiting.splice(best, 1)[0]!;
      this.running++;
      this.runner
        .run(w.job, w.signal)
        .then(w.resolve, w.reject)
        .finally(() => {
          this.running--;
          this.next();
        });
    }
  }
}
