// What a miss to memory costs on this machine, the yardstick of docs/scale.md's measurements: a chase
// through 64-byte rows in a random cycle, each row's address read from the row before (so every step
// waits for the last), over working sets from 2 MiB to 512 MiB; then, at 256 MiB, the row read at each
// multiple of 8 bytes (a row that starts off a cache line straddles two); with `--pair`, two chases at
// once in two processes (whether the cores slow each other's misses). Prints JSON lines, ns per step.
// Usage: node bench/memory.ts [--pair]   (or through tsx)
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROW = 8; // doubles: 64 bytes

/** ns per step of a chase over `mib` MiB of rows, the row read `offset` doubles into its slot. */
function chase(mib: number, offset: number, seed: number): number {
  const rows = (mib * 2 ** 20) / (ROW * 8) - 1;
  const buf = new Float64Array((rows + 1) * ROW + ROW);
  const order = new Int32Array(rows);
  for (let i = 0; i < rows; i++) order[i] = i;
  let x = seed >>> 0;
  for (let i = rows - 1; i > 0; i--) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const j = x % (i + 1);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  // Each row holds the next row's index split over its first and last double, so both are read.
  for (let i = 0; i < rows; i++) {
    const a = order[i]!;
    const b = order[(i + 1) % rows]!;
    buf[a * ROW + offset] = b >> 8;
    buf[a * ROW + offset + ROW - 1] = b & 255;
  }
  const steps = 1 << 21;
  let r = order[0]!;
  const t0 = performance.now();
  for (let k = 0; k < steps; k++) {
    const at = r * ROW + offset;
    r = buf[at]! * 256 + buf[at + ROW - 1]!;
  }
  const ns = ((performance.now() - t0) / steps) * 1e6;
  if (r < 0) throw new Error('unreachable'); // keeps the chase from being optimised away
  return Math.round(ns);
}

const [flag, mibArg, seedArg] = process.argv.slice(2);
if (flag === '--one') {
  console.log(chase(Number(mibArg), 0, Number(seedArg)));
} else {
  for (const mib of [2, 8, 32, 128, 512]) console.log(JSON.stringify({ mib, ns_per_row: chase(mib, 0, 1) }));
  const byOffset = Array.from({ length: ROW }, (_, o) => chase(256, o, 1));
  console.log(JSON.stringify({ mib: 256, ns_per_row_by_offset_bytes: byOffset.map((ns, o) => [o * 8, ns]) }));
  if (flag === '--pair') {
    const self = fileURLToPath(import.meta.url);
    const one = (seed: number) =>
      new Promise<number>((done) => {
        const c = spawn(process.execPath, [...process.execArgv, self, '--one', '256', String(seed)]);
        let out = '';
        c.stdout.on('data', (d: Buffer) => {
          out += d;
        });
        c.on('close', () => done(Number(out.trim())));
      });
    const alone = await one(1);
    const both = await Promise.all([one(1), one(2)]);
    console.log(JSON.stringify({ mib: 256, alone_ns: alone, two_at_once_ns: both }));
  }
}
