// What a command reads and writes, checked before any simulation: the scenario must be a regular file
// (a FIFO would block and /dev/zero never end), and every output is reserved up front so an unwritable
// destination fails in a second, not after minutes of simulation.
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type OutputDirectory, type OutputFile, openOutputDirectory, openOutputFile } from '../io/index.ts';
import { UsageError } from './errors.ts';

export function checkScenarioFile(file: string): void {
  let kind: string;
  try {
    const st = statSync(file);
    if (st.isFile()) return;
    kind = st.isDirectory()
      ? 'a directory'
      : st.isFIFO()
        ? 'a named pipe (FIFO)'
        : st.isCharacterDevice() || st.isBlockDevice()
          ? 'a device'
          : st.isSocket()
            ? 'a socket'
            : 'not a regular file';
  } catch {
    // A missing or unreadable file is reported by the scenario loader, with the reason.
    return;
  }
  throw new UsageError(`${file} is ${kind}, expected a scenario file (YAML or JSON)`);
}

/** `--out DIR` as DIR/name, reserved now. */
export function outFile(dir: string | undefined, name: string, flag = '--out'): OutputFile | undefined {
  return dir === undefined ? undefined : openOutputFile(join(dir, name), `${flag} ${dir}`);
}

export function outDirectory(dir: string | undefined, flag: string): OutputDirectory | undefined {
  return dir === undefined ? undefined : openOutputDirectory(dir, `${flag} ${dir}`);
}

export function sameDirectory(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && resolve(a) === resolve(b);
}

/** Where outputs went, on stderr: stdout stays the tables or the JSON alone. */
export function wrote(...paths: string[]): void {
  for (const p of paths) process.stderr.write(`meshsim: wrote ${p}\n`);
}
