// Benchmarks how fast the command line starts: `meshsim --help`, `--version` and `validate` through the
// bin (the compiled bundle, as `npm install` builds it) and through tsx (the sources), each run 10 times
// in a fresh process, against bare `node -e ''`. Prints JSON lines: the median wall time and the median
// CPU time (user + system, measured by GNU time), with the load average: a shared machine's load
// stretches wall time but hardly CPU time. Target: under 300 ms
// wall on an idle machine. Usage: npm run build && tsx bench/startup.ts
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const RUNS = 10;

const cases: Array<[string, string[]]> = [
  ['node -e ""', ['-e', '']],
  ['bin --help', ['bin/meshsim.mjs', '--help']],
  ['bin --version', ['bin/meshsim.mjs', '--version']],
  ['bin validate quickstart', ['bin/meshsim.mjs', 'validate', 'scenarios/quickstart.yaml']],
  ['tsx sources --help', ['--import', 'tsx', 'src/cli/main.ts', '--help']],
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

for (const [name, args] of cases) {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    // GNU time's %e (wall) and %U+%S (CPU) of the child alone.
    const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S', process.execPath, ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const [e, u, s] = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
    wall.push(e! * 1e3);
    cpu.push((u! + s!) * 1e3);
  }
  console.log(
    JSON.stringify({
      case: name,
      runs: RUNS,
      wallMs: Math.round(median(wall)),
      cpuMs: Math.round(median(cpu)),
      load1: loadavg()[0],
    }),
  );
}
