// Standard output and error when they go somewhere that refuses them. A reader that stops early
// (`meshsim run --json | head`) closes the pipe: stop at once and quietly with 141, the status a shell
// reports for a process ended by SIGPIPE (128 + 13), as `yes | head` does. A full disk behind a
// redirection (`> /dev/full`) is the environment's error: one line on stderr, exit 2.
const EXIT_BROKEN_PIPE = 141;
const EXIT_BAD_INPUT = 2;

export function guardStandardStreams(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(EXIT_BROKEN_PIPE);
    try {
      process.stderr.write(`meshsim: cannot write to standard output: ${reason(e)}\n`);
    } finally {
      process.exit(EXIT_BAD_INPUT);
    }
  });
  // Nowhere is left to report a failing stderr; leave with the code that says why.
  process.stderr.on('error', (e: NodeJS.ErrnoException) =>
    process.exit(e.code === 'EPIPE' ? EXIT_BROKEN_PIPE : EXIT_BAD_INPUT),
  );
}

function reason(e: NodeJS.ErrnoException): string {
  if (e.code === 'ENOSPC') return 'no space left on device (ENOSPC)';
  return e.code ? `${e.message} (${e.code})` : e.message;
}
