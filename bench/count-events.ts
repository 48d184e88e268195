// Events by kind in one simulation: every calendar handler is wrapped with a counter, keyed by its
// source text (each processor registers its own handler, all with the same text, so they add up).
// Slower than a plain run; for what the events are, not how fast. Usage:
// `node --import tsx bench/count-events.ts <scenario> <architecture>`
import { Calendar } from '../sim/index.ts';
import type { Architecture } from '../src/scenario/index.ts';
import { loadScenario } from '../src/scenario/index.ts';
import { simulateArchitecture } from '../src/simulate/index.ts';

const counts = new Map<string, number[]>();
const orig = Calendar.prototype.on;
Calendar.prototype.on = function (h) {
  const key = h.toString().slice(0, 60);
  let c = counts.get(key);
  if (!c) counts.set(key, (c = [0]));
  const cc = c;
  return orig.call(this, (p: number) => {
    cc[0]!++;
    h(p);
  });
};
const [file, arch] = process.argv.slice(2) as [string, Architecture];
const a = simulateArchitecture(loadScenario(file), arch);
console.log(a.events);
for (const [k, v] of [...counts].sort((x, y) => y[1]![0]! - x[1]![0]!)) console.log(v[0], k);
