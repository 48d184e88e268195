import { calibrate, calibrationTable } from '../../calibrate/index.ts';
import { resultsJson } from '../../report/index.ts';
import { outFile, wrote } from '../outputs.ts';
import { parseIntFlag } from '../parse-list.ts';

export function calibrateCommand(a: {
  json?: boolean;
  out?: string;
  seed?: number;
  replications?: number;
}): number {
  const seed = parseIntFlag('seed', a.seed, 0);
  const replications = parseIntFlag('replications', a.replications, 1);
  const out = outFile(a.out, 'calibration.json');
  try {
    const r = calibrate({ seed, replications });
    const json = resultsJson(r);
    out?.commit(json);
    process.stdout.write(a.json ? json : `${calibrationTable(r)}\n`);
    if (out) wrote(out.path);
    // A figure outside tolerance is a finding, not a crash: say so with a distinct exit code.
    return r.calibration.every((c) => c.ok) ? 0 : 3;
  } finally {
    out?.discard();
  }
}
