import { importScenario, readManifests, readOverlay, toOverlayErrors } from '../../import/index.ts';
import { writeFileAtomic } from '../../io/index.ts';
import { parseScenario, ScenarioError } from '../../scenario/index.ts';

export interface ImportArgs {
  paths: string[];
  out?: string;
  calls?: string;
  inferCalls?: boolean;
  name?: string;
}

export function importCommand(a: ImportArgs): number {
  const manifests = readManifests(a.paths);
  const overlay = a.calls ? readOverlay(a.calls) : undefined;
  const imported = importScenario(manifests, {
    sources: a.paths,
    ...(a.name ? { name: a.name } : {}),
    ...(overlay ? { overlay } : {}),
    inferCalls: a.inferCalls === true,
  });
  // The loader's verdict on the result: a bad value from the --calls overlay is reported at its place in
  // the overlay; anything else would be the import's own fault (reported against the generated text).
  try {
    parseScenario(imported.text, a.out ?? '<imported scenario>');
  } catch (e) {
    throw e instanceof ScenarioError ? toOverlayErrors(e, overlay, imported.origins) : e;
  }
  for (const w of imported.warnings) process.stderr.write(`meshsim: warning: ${w}\n`);
  if (a.out) {
    writeFileAtomic(a.out, imported.text);
    process.stderr.write(`meshsim: wrote ${a.out} (${manifests.length} objects read)\n`);
  } else process.stdout.write(imported.text);
  return 0;
}
