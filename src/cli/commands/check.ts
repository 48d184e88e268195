// `meshsim check FILE [--json]`: findings for a scenario file or for manifests (a file or a directory).
// Exit 0 when no finding is an error, 4 when one is, 2 for bad input.
import { readFileSync, statSync } from 'node:fs';
import {
  checkManifests,
  checkScenario,
  type Finding,
  findingsJson,
  formatFindings,
  hasErrors,
} from '../../check/index.ts';
import { readManifests, readOverlay } from '../../import/index.ts';
import { loadScenario } from '../../scenario/index.ts';
import { EXIT_OK } from '../errors.ts';

export const EXIT_FINDINGS = 4;

export interface CheckArgs {
  file: string;
  json?: boolean;
  cni?: string;
  platform?: string;
  istioVersion?: string;
  calls?: string;
}

function isScenarioFile(file: string): boolean {
  if (statSync(file, { throwIfNoEntry: false })?.isFile() !== true) return false;
  return /^\s*apiVersion:\s*["']?meshsim\/|"apiVersion"\s*:\s*"meshsim\//m.test(readFileSync(file, 'utf8'));
}

export function checkCommand(a: CheckArgs): number {
  const flags = {
    ...(a.cni ? { cni: a.cni } : {}),
    ...(a.platform ? { platform: a.platform } : {}),
    ...(a.istioVersion ? { istioVersion: a.istioVersion } : {}),
  };
  let findings: Finding[];
  if (isScenarioFile(a.file)) {
    const s = loadScenario(a.file);
    findings = checkScenario(s, { file: a.file, text: readFileSync(a.file, 'utf8') }, flags);
  } else {
    const overlay = a.calls ? readOverlay(a.calls) : undefined;
    findings = checkManifests(readManifests([a.file]), [a.file], flags, undefined, overlay).findings;
  }
  process.stdout.write(a.json ? findingsJson(findings) : formatFindings(findings));
  return hasErrors(findings) ? EXIT_FINDINGS : EXIT_OK;
}
