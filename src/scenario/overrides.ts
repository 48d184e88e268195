// Command-line overrides of a loaded scenario (`--seed`, `--replications`, `--duration`, `--warmup`, `--compare`,
// `meshVersion` to compare Istio versions on one scenario).
import { formatPath, foundExpected, ScenarioError, type ScenarioIssue } from './issues.ts';
import type { Architecture, Scenario } from './types.ts';
import { minorOf, SUPPORTED_MESH_VERSIONS } from './version.ts';

export interface Overrides {
  seed?: number;
  replications?: number;
  duration?: number;
  warmup?: number;
  compare?: Architecture[];
  /** mesh.version, one of SUPPORTED_MESH_VERSIONS. */
  meshVersion?: string;
}

const ARCHITECTURES: readonly Architecture[] = ['none', 'sidecar', 'ambient', 'as-labelled'];

function problem(path: PropertyKey[], value: unknown, expected: string): ScenarioIssue {
  const found = JSON.stringify(value) ?? String(value);
  return {
    file: '<overrides>',
    path: formatPath(path),
    found,
    expected,
    message: foundExpected(found, expected),
  };
}

function check(s: Scenario, o: Overrides): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  if (o.seed !== undefined && !(Number.isInteger(o.seed) && o.seed >= 0)) {
    issues.push(problem(['simulation', 'seed'], o.seed, 'an integer >= 0'));
  }
  if (
    o.replications !== undefined &&
    !(Number.isInteger(o.replications) && o.replications >= 1 && o.replications <= 100)
  ) {
    issues.push(problem(['simulation', 'replications'], o.replications, 'an integer from 1 to 100'));
  }
  const warmup = o.warmup ?? s.simulation.warmup;
  if (o.duration !== undefined && !(Number.isFinite(o.duration) && o.duration > warmup)) {
    issues.push(
      problem(['simulation', 'duration'], o.duration, `a duration in seconds > warmup (${warmup}s)`),
    );
  }
  const duration = o.duration ?? s.simulation.duration;
  if (o.warmup !== undefined && !(o.warmup >= 0 && o.warmup < duration)) {
    issues.push(
      problem(['simulation', 'warmup'], o.warmup, `a duration in seconds >= 0 and < duration (${duration}s)`),
    );
  }
  if (o.compare !== undefined) {
    const bad = o.compare.length === 0 || new Set(o.compare).size !== o.compare.length;
    if (bad || o.compare.some((a) => !ARCHITECTURES.includes(a))) {
      issues.push(
        problem(['compare'], o.compare, `a non-empty list of distinct: ${ARCHITECTURES.join(', ')}`),
      );
    }
  }
  if (
    o.meshVersion !== undefined &&
    !(SUPPORTED_MESH_VERSIONS as readonly string[]).includes(o.meshVersion)
  ) {
    issues.push(problem(['mesh', 'version'], o.meshVersion, `one of: ${SUPPORTED_MESH_VERSIONS.join(', ')}`));
  }
  return issues;
}

/** A new scenario with the overrides applied; the input is left untouched. */
export function applyOverrides(s: Scenario, o: Overrides): Scenario {
  const issues = check(s, o);
  if (issues.length > 0) throw new ScenarioError(issues);
  const out = structuredClone(s);
  if (o.seed !== undefined) out.simulation.seed = o.seed;
  if (o.replications !== undefined) out.simulation.replications = o.replications;
  if (o.duration !== undefined) out.simulation.duration = o.duration;
  if (o.warmup !== undefined) out.simulation.warmup = o.warmup;
  if (o.compare !== undefined) out.compare = [...o.compare];
  if (o.meshVersion !== undefined) {
    // The same upgrades, moved along with the installed version (1.26 -> 1.27 becomes 1.28 -> 1.29).
    const shift = minorOf(o.meshVersion) - minorOf(out.mesh.version);
    out.mesh.version = o.meshVersion;
    for (const ev of out.events) {
      if (ev.kind !== 'upgrade' || ev.target === 'waypoint' || ev.target === 'gateway' || ev.to === undefined)
        continue;
      ev.to = `1.${minorOf(ev.to) + shift}`;
    }
  }
  return out;
}
