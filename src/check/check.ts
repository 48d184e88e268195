// The two entry points: check a loaded scenario (pure: the text is passed in only for positions), or
// check manifests (imported to a scenario first, so the scenario rules run on them too).
import { type Inventory, importScenario, inventory, type Manifest, type Overlay } from '../import/index.ts';
import { type Architecture, parseScenario, type Scenario, ScenarioError } from '../scenario/index.ts';
import type { CheckContext } from './context.ts';
import { type Finding, sortFindings } from './finding.ts';
import { manifestLocator, scenarioLocator } from './locate.ts';
import { detectPlatform, type Platform, type PlatformFlags } from './platform.ts';
import { RULES } from './rules.ts';

function run(ctx: CheckContext): Finding[] {
  return sortFindings(RULES.flatMap((r) => r.check(ctx)));
}

export interface ScenarioSource {
  file: string;
  /** The scenario's text, for line numbers; without it findings name the file only. */
  text?: string;
}

export interface CheckOptions {
  /** The check runs before a simulation: see CheckContext.simulating. */
  simulating?: boolean;
}

export function checkScenario(
  s: Scenario,
  source: ScenarioSource,
  flags: PlatformFlags = {},
  options: CheckOptions = {},
): Finding[] {
  return run({
    scenario: s,
    platform: scenarioPlatform(s, flags),
    compare: s.compare,
    simulating: options.simulating ?? false,
    locate: scenarioLocator(source.file, source.text),
  });
}

/**
 * The platform a scenario declares (cluster.cni: CNI, platform, settings; mesh.version), the flags taking
 * precedence. The settings are read as the CNI's own configuration (cilium-config or aws-node's env).
 */
function scenarioPlatform(s: Scenario, flags: PlatformFlags): Platform {
  const declared = s.cluster.cni;
  const p = detectPlatform(undefined, {
    cni: flags.cni ?? declared?.name,
    platform: flags.platform ?? declared?.platform,
    istioVersion: flags.istioVersion ?? s.mesh.version,
  });
  if (!declared || (flags.cni && flags.cni !== declared.name)) return p;
  if (p.cni === 'aws-vpc-cni') p.awsNode = { ...declared.settings };
  else p.cilium = { ...declared.settings };
  p.detected.push('cluster.cni of the scenario');
  return p;
}

/** The manifests as a scenario; none when they hold no application workload (only policies, CNI settings). */
function importedScenario(
  manifests: readonly Manifest[],
  sources: readonly string[],
  overlay?: Overlay,
): Scenario | undefined {
  try {
    return parseScenario(
      importScenario(manifests, { sources, ...(overlay ? { overlay } : {}) }).text,
      '<imported>',
    );
  } catch (e) {
    if (e instanceof ScenarioError && e.issues.length === 1 && e.issues[0]!.found === 'no workloads')
      return undefined;
    throw e;
  }
}

/** Manifests are checked as they are labelled and as if moved to ambient (the question meshsim answers). */
export const MANIFEST_COMPARE: readonly Architecture[] = ['as-labelled', 'ambient'];

export function checkManifests(
  manifests: readonly Manifest[],
  sources: readonly string[],
  flags: PlatformFlags = {},
  compare: readonly Architecture[] = MANIFEST_COMPARE,
  overlay?: Overlay,
): { findings: Finding[]; inventory: Inventory } {
  // The overlay gives the calls and traffic the scenario rules (L7 calls, sidecar callers, capacity) need.
  const inv = inventory(manifests);
  const scenario = importedScenario(manifests, sources, overlay);
  const findings = run({
    ...(scenario ? { scenario } : {}),
    inventory: inv,
    platform: detectPlatform(inv, flags),
    compare,
    locate: manifestLocator(inv),
  });
  return { findings, inventory: inv };
}
