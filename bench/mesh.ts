// `npm run bench:mesh`: simulated requests per wall-clock second and events/s for the bundled quickstart
// and large scenarios, each case in a fresh process. Target (issue 3): large, sidecar and ambient, 30
// simulated seconds each, under 2 minutes in total with peak memory under 2 GiB on a 2-core machine.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cases: Array<[string, string]> = [
  ['scenarios/quickstart.yaml', 'none'],
  ['scenarios/quickstart.yaml', 'sidecar'],
  ['scenarios/quickstart.yaml', 'ambient'],
  ['scenarios/large.yaml', 'sidecar'],
  ['scenarios/large.yaml', 'ambient'],
];
let largeWall = 0;
let largePeak = 0;
for (const [file, arch] of cases) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/mesh-one.ts', file, arch], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) {
    process.stderr.write(r.stderr);
    process.exit(1);
  }
  const line = r.stdout.trim();
  console.log(line);
  if (file.includes('large')) {
    const j = JSON.parse(line);
    largeWall += j.wall_seconds;
    largePeak = Math.max(largePeak, j.peak_rss_mib);
  }
}
console.log(
  JSON.stringify({
    summary: 'large sidecar + ambient',
    wall_seconds: Number(largeWall.toFixed(1)),
    target_seconds: 120,
    peak_rss_mib: largePeak,
    target_rss_mib: 2048,
    targets_met: largeWall < 120 && largePeak < 2048,
  }),
);
