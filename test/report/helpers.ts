// Shared inputs of the report tests: the bundled quickstart scenario simulated briefly (one replication,
// 5 s with its own 2 s warm-up: enough for every chart to have data, fast enough for every test file).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { applyOverrides, loadScenario } from '../../src/scenario/index.ts';
import { type Results, simulate } from '../../src/simulate/index.ts';

const root = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));

let quickstart: Results | undefined;

export const quickstartScenario = () =>
  applyOverrides(loadScenario(root('scenarios/quickstart.yaml')), { replications: 1, duration: 5 });

export function quickstartResults(): Results {
  quickstart ??= simulate(quickstartScenario(), { file: 'scenarios/quickstart.yaml' });
  return structuredClone(quickstart);
}

export const fixturePath = (name: string) => root(`test/fixtures/report/${name}`);

export const fixture = (name: string): unknown => JSON.parse(readFileSync(fixturePath(name), 'utf8'));

/** Numbers to 4 significant digits, so goldens survive float noise but not a real change. */
export function round4(v: unknown): unknown {
  if (typeof v === 'number') return Number.isInteger(v) || !Number.isFinite(v) ? v : Number(v.toPrecision(4));
  if (Array.isArray(v)) return v.map(round4);
  if (typeof v === 'object' && v !== null)
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, round4(x)]));
  return v;
}

export const EVIL = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">';

/** Quickstart results with hostile text everywhere a user controls it, plus disruption events. */
export function evilResults(): Results {
  const r = quickstartResults();
  r.scenario.name = `quick</script>${EVIL}`;
  r.scenario.description = EVIL;
  r.assumptions = [...r.assumptions, EVIL];
  r.architectures[0]!.warnings = [EVIL];
  for (const a of r.architectures) a.entryPoints[0]!.name = `web${EVIL}`;
  Object.assign(r.architectures[1]!, {
    disruption: { events: [{ at: 3, label: `upgrade ${EVIL}` }] },
  });
  return r;
}

/** Quickstart results whose architectures carry disruption events (not yet produced by the simulator). */
export function disruptedResults(): Results {
  const r = quickstartResults();
  for (const a of r.architectures)
    Object.assign(a, {
      disruption: {
        events: [
          { at: 2.5, label: 'ztunnel upgrade starts' },
          { at: 4, label: 'node-1 drained' },
        ],
      },
    });
  return r;
}

/** The chromium the pretest script (scripts/ensure-chromium.sh) makes sure of. */
export const CHROMIUM = process.env.MESHSIM_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
