// Failures of the machine rather than of meshsim: a read-only disk, a full disk, a path that names a
// file where a directory is needed. They are the user's to fix, so they become one line naming the path
// (and the flag that gave it) with exit 2, never "internal error".

/** An output or input the environment refused: the message is complete and fit to print as it is. */
export class EnvironmentError extends Error {
  /** The operating system's words for what failed ("no space left on device (ENOSPC)"), if it said. */
  constructor(
    message: string,
    readonly reason?: string,
  ) {
    super(message);
  }
}

/** errno codes that describe the environment, with the words a user knows them by. */
const REASONS: Readonly<Record<string, string>> = {
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EEXIST: 'exists and is not a directory',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'is a directory',
  EPERM: 'operation not permitted',
  EACCES: 'permission denied',
  ENOENT: 'no such file or directory',
  ENAMETOOLONG: 'file name too long',
  ELOOP: 'too many symbolic links',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EFBIG: 'file too large',
  EIO: 'input/output error',
  EBUSY: 'resource busy',
  EXDEV: 'crosses file systems',
  EPIPE: 'broken pipe',
  EAGAIN: 'resource temporarily unavailable',
};

export function errnoCode(e: unknown): string | undefined {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** True for an error the operating system raised about the environment (a file, a disk, a pipe). */
export function isEnvironmentErrno(e: unknown): boolean {
  const code = errnoCode(e);
  return code !== undefined && code in REASONS;
}

export function reasonOf(e: unknown): string {
  const code = errnoCode(e);
  const words = code ? REASONS[code] : undefined;
  if (words) return `${words} (${code})`;
  return e instanceof Error ? e.message : String(e);
}

/**
 * The one-line error for `what` (e.g. "--out reports/x: cannot write results.json") failing with `e`.
 * An EnvironmentError passes through unchanged so the innermost, most precise message wins.
 */
export function environmentError(what: string, e: unknown): EnvironmentError {
  if (e instanceof EnvironmentError) return e;
  const reason = reasonOf(e);
  return new EnvironmentError(`${what}: ${reason}`, reason);
}
