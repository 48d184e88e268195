// The helper thread of `bench/memory.ts --helper` (plain JavaScript: on Node 20 a worker thread cannot
// load a .ts entry even under tsx, shared/TOOLCHAIN.md). The chase on the main thread publishes the step
// it is at; this thread reads the rows that step will reach `from` to `to` steps later, from the cycle's
// order (addresses known without chasing, so its misses overlap), so that they are in the cache the two
// cores share by the time the chase needs them. It changes nothing the chase reads.
import { parentPort, workerData } from 'node:worker_threads';

const { buf, order, at, from, to, row } = workerData;
const rows = order.length;
let sink = 0;
let last = -1;
while (Atomics.load(at, 1) === 0) {
  const step = Atomics.load(at, 0);
  if (step === last) continue;
  last = step;
  for (let k = from; k <= to; k++) sink += buf[order[(step + k) % rows] * row];
}
parentPort.postMessage(sink);
