// Exit codes and how errors reach the user: a scenario or usage error is the user's to fix (exit 2, a
// positioned message, no stack trace), and so is an error of the environment (a read-only or full disk,
// a path that is not a directory: one line naming the path, exit 2); anything else is ours (exit 1, said
// to be an internal error).

import { CalendarCapacityError } from '../../sim/index.ts';
import { EnvironmentError, isEnvironmentErrno, reasonOf } from '../io/index.ts';
import { ScenarioError } from '../scenario/index.ts';

export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
export const EXIT_BAD_INPUT = 2;

/** An error in what the user asked for (a flag, a missing file), not in a scenario file. */
export class UsageError extends Error {}

/** The kernel's event cap; from a plan's worker thread it arrives as a plain RangeError with its text. */
function isCapacityError(err: unknown): err is Error {
  return (
    err instanceof CalendarCapacityError ||
    (err instanceof Error && /^Calendar: more than \d+ (pending events|event slots)$/.test(err.message))
  );
}

export function reportError(err: unknown): number {
  if (err instanceof ScenarioError) {
    process.stderr.write(`meshsim: invalid scenario\n${err.message}\n`);
    return EXIT_BAD_INPUT;
  }
  if (err instanceof UsageError || err instanceof EnvironmentError) {
    process.stderr.write(`meshsim: ${err.message}\n`);
    return EXIT_BAD_INPUT;
  }
  if (isCapacityError(err)) {
    process.stderr.write(
      `meshsim: the scenario needs more events at once than the simulator holds (${err.message}); ` +
        'lower the traffic rate, the timeouts or simulation.duration\n',
    );
    return EXIT_BAD_INPUT;
  }
  // An errno error that escaped without context still names its path: a disk, not a bug.
  if (isEnvironmentErrno(err)) {
    const path = (err as NodeJS.ErrnoException).path;
    process.stderr.write(`meshsim: ${path ? `${path}: ` : ''}${reasonOf(err)}\n`);
    return EXIT_BAD_INPUT;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  process.stderr.write(
    `meshsim: internal error: ${e.message}\nThis is a bug in meshsim, not in your input. ` +
      `Run again with MESHSIM_DEBUG=1 for the stack trace.\n`,
  );
  if (process.env.MESHSIM_DEBUG) process.stderr.write(`${e.stack}\n`);
  return EXIT_INTERNAL;
}
