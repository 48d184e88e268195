import { join } from 'node:path';
import { calibrate, calibrationTable } from '../../calibrate/index.ts';
import { resultsJson } from '../../report/index.ts';
import { writeFileAtomic } from '../atomic.ts';
import { parseIntFlag } from '../parse-list.ts';

export function calibrateCommand(a: {
  json?: boolean;
  out?: string;
  seed?: number;
  replications?: number;
}): number {
  const r = calibrate({
    seed: parseIntFlag('seed', a.seed, 0),
    replications: parseIntFlag('replications', a.replications, 1),
  });
  const json = resultsJson(r);
  if (a.out) writeFileAtomic(join(a.out, 'calibration.json'), json);
  process.stdout.write(a.json ? json : `${calibrationTable(r)}\n`);
  // A figure outside tolerance is a finding, not a crash: say so with a distinct exit code.
  return r.calibration.every((c) => c.ok) ? 0 : 3;
}
