// A progress bar on stderr, only when stderr is a terminal: pipes, CI logs and --json consumers see
// nothing of it. The ETA is ours, not cli-progress's: its own is a rate of bar steps, which is wrong when
// steps differ in cost (a simulation at 10x growth is ten at 1x) and prints "NFs" before the first step.
import cliProgress from 'cli-progress';

export interface Progress {
  /** `done` may be fractional (a step part done); `eta` in seconds, or null while unknown. */
  update(done: number, total: number, eta: number | null): void;
  stop(): void;
}

/**
 * Seconds left when `workDone` units took `elapsed` seconds and `workLeft` remain, at the same rate; null
 * before any work is done (no rate yet).
 */
export function etaSeconds(elapsed: number, workDone: number, workLeft: number): number | null {
  if (!(workDone > 0) || !(elapsed >= 0) || !Number.isFinite(workLeft)) return null;
  return (elapsed * Math.max(0, workLeft)) / workDone;
}

/**
 * `42s`, `3m05s`, `1h02m`; `--` when unknown. Rounds once, to whole seconds, before splitting, so a
 * minute never shows 60 seconds ("28m60s").
 */
export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '--';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  const m = Math.round(s / 60);
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/**
 * `3`, or `1.4` while a step is part done (replications report the share they have simulated): cut, not
 * rounded, so that 1.97 shows 1.9 and never the 2.0 of a step not yet done.
 */
export function formatDone(done: number): string {
  return Number.isInteger(done) ? String(done) : (Math.floor(done * 10) / 10).toFixed(1);
}

/** `unit`: what is counted, e.g. `simulations` or `replications`. */
export function progress(label: string, unit: string): Progress {
  if (!process.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${label} [{bar}] {done_text}/{total} ${unit} | ETA {eta_text}`,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total, eta) {
      const payload = { eta_text: formatEta(eta), done_text: formatDone(done) };
      if (!started) {
        bar.start(total, done, payload);
        started = true;
        return;
      }
      bar.setTotal(total);
      bar.update(done, payload);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

/**
 * ETA by elapsed time per step, for steps of about equal cost (replications). Unknown (null) until 1 % of
 * the steps is done: a replication reports its first slices of simulated time while its world was just
 * built, and a rate from them alone said 20 minutes for a run of seconds.
 */
export function stepEta(startedAt: number, now: number, done: number, total: number): number | null {
  if (!(done >= 0.01 * total)) return null;
  return etaSeconds((now - startedAt) / 1e3, done, total - done);
}
