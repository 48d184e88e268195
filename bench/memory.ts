// What a miss to memory costs on this machine, the yardstick of docs/scale.md's measurements: a chase
// through 64-byte rows in a random cycle, each row's address read from the row before (so every step
// waits for the last), over working sets from 2 MiB to 512 MiB; then, at 256 MiB, the row read at each
// multiple of 8 bytes (a row that starts off a cache line straddles two); with `--pair`, two chases at
// once in two processes, over 32 and 256 MiB each (whether the cores slow each other's misses). Prints
// JSON lines, ns per step. With `--helper`, instead: a chase at 32, 128 and 512 MiB alone and with a
// helper thread on the other core reading, from the cycle's order, the rows the chase will reach 8 to 64
// steps later (bench/memory-helper.mjs): how much of a miss to memory a thread that knows the addresses
// ahead takes off, through the cache the cores share (docs/scale.md).
// Usage: npm run bench:memory (with --pair), or npx tsx bench/memory.ts [--pair | --helper |
// --one MIB SEED [OFFSET] | --one-helper MIB SEED].

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { hugePagesEnv, wantsHugePages } from '../bin/huge-pages.mjs';

const ROW = 8; // doubles: 64 bytes

/** `order` filled with 0..n-1 in a random order of `seed` (Fisher-Yates on a linear congruential stream). */
function shuffled(order: Int32Array, seed: number): Int32Array {
  const rows = order.length;
  for (let i = 0; i < rows; i++) order[i] = i;
  let x = seed >>> 0;
  for (let i = rows - 1; i > 0; i--) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const j = x % (i + 1);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

/** ns per step of a chase over `mib` MiB of rows, the row read `offset` doubles into its slot. */
function chase(mib: number, offset: number, seed: number): number {
  const rows = (mib * 2 ** 20) / (ROW * 8) - 1;
  const buf = new Float64Array((rows + 1) * ROW + ROW);
  const order = shuffled(new Int32Array(rows), seed);
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

/** ns per step of a chase in shared memory over `mib` MiB, helped by a thread reading ahead or not. */
async function helpedChase(mib: number, seed: number, helped: boolean): Promise<number> {
  const rows = (mib * 2 ** 20) / (ROW * 8);
  const buf = new Float64Array(new SharedArrayBuffer(rows * ROW * 8));
  const order = shuffled(new Int32Array(new SharedArrayBuffer(rows * 4)), seed);
  for (let i = 0; i < rows; i++) buf[order[i]! * ROW] = order[(i + 1) % rows]!;
  // [step the chase is at, 1 once it is done]
  const at = new Int32Array(new SharedArrayBuffer(8));
  const helper = helped
    ? new Worker(new URL('./memory-helper.mjs', import.meta.url), {
        workerData: { buf, order, at, from: 8, to: 64, row: ROW },
      })
    : null;
  if (helper) await new Promise((started) => helper.once('online', started));
  const steps = 1 << 21;
  let r = order[0]!;
  const t0 = performance.now();
  for (let k = 0; k < steps; k++) {
    r = buf[r * ROW]!;
    // Published every 8 steps: a store the chase does not wait for.
    if ((k & 7) === 0) Atomics.store(at, 0, k);
  }
  const ns = ((performance.now() - t0) / steps) * 1e6;
  Atomics.store(at, 1, 1);
  await helper?.terminate();
  if (r < 0) throw new Error('unreachable');
  return Math.round(ns);
}

// Every chase runs in a process of its own with the malloc setting `meshsim run` gives itself
// (bin/huge-pages.mjs), as bench:mesh's cases do: the figures are those of the memory a run gets.
const env = wantsHugePages(['run']) ? hugePagesEnv(process.env) : process.env;
const self = fileURLToPath(import.meta.url);

function one(mib: number, seed: number, offset = 0, mode = '--one'): Promise<number> {
  return new Promise((done, fail) => {
    const args = [...process.execArgv, self, mode, String(mib), String(seed), String(offset)];
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
} else if (flag === '--one-helper' || flag === '--one-alone') {
  console.log(await helpedChase(Number(mibArg), Number(seedArg), flag === '--one-helper'));
} else if (flag === '--helper') {
  for (const mib of [32, 128, 512]) {
    const alone = await one(mib, 1, 0, '--one-alone');
    const helped = await one(mib, 1, 0, '--one-helper');
    console.log(JSON.stringify({ mib, alone_ns: alone, helped_ns: helped }));
  }
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
