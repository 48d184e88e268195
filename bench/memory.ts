// What a miss to memory costs on this machine, the yardstick of docs/scale.md's measurements: a chase
// through 64-byte rows in a random cycle, each row's address read from the row before (so every step
// waits for the last), over working sets from 2 MiB to 512 MiB; then, at 256 MiB, the row read at each
// multiple of 8 bytes (a row that starts off a cache line straddles two); with `--pair`, two chases at
// once in two processes, over 32 and 256 MiB each (whether the cores slow each other's misses). Prints
// JSON lines, ns per step.
// Usage: npm run bench:memory (with --pair), or npx tsx bench/memory.ts [--pair | --one MIB SEED [OFFSET]].
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { hugePagesEnv, wantsHugePages } from '../bin/huge-pages.mjs';

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
  // 2^21 steps: about half a second at 512 MiB, long enough that the timer's resolution does not count.
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

// Every chase runs in a process of its own with the malloc setting `meshsim run` gives itself
// (bin/huge-pages.mjs), as bench:mesh's cases do: the figures are those of the memory a run gets.
const env = wantsHugePages(['run']) ? hugePagesEnv(process.env) : process.env;
const self = fileURLToPath(import.meta.url);

function one(mib: number, seed: number, offset = 0): Promise<number> {
  return new Promise((done, fail) => {
    const args = [...process.execArgv, self, '--one', String(mib), String(seed), String(offset)];
    const c = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    c.stdout.on('data', (d: Buffer) => {
      out += d;
    });
    c.on('close', (code) =>
      code === 0 ? done(Number(out.trim())) : fail(new Error(`chase exited ${code}`)),
    );
  });
}

const [flag, mibArg, seedArg, offsetArg] = process.argv.slice(2);
if (flag === '--one') {
  console.log(chase(Number(mibArg), Number(offsetArg ?? 0), Number(seedArg)));
} else {
  for (const mib of [2, 8, 32, 128, 512]) console.log(JSON.stringify({ mib, ns_per_row: await one(mib, 1) }));
  const byOffset: Array<[number, number]> = [];
  for (let o = 0; o < ROW; o++) byOffset.push([o * 8, await one(256, 1, o)]);
  console.log(JSON.stringify({ mib: 256, ns_per_row_by_offset_bytes: byOffset }));
  if (flag === '--pair') {
    for (const mib of [32, 256]) {
      const alone = await one(mib, 1);
      const both = await Promise.all([one(mib, 1), one(mib, 2)]);
      console.log(JSON.stringify({ mib, alone_ns: alone, two_at_once_ns: both }));
    }
  }
}
