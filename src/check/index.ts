// The check layer: operational cautions of a scenario or of manifests, as findings.
export {
  type CheckOptions,
  checkManifests,
  checkScenario,
  MANIFEST_COMPARE,
  type ScenarioSource,
} from './check.ts';
export {
  type Arch,
  type Finding,
  type FindingObject,
  findingsJson,
  formatFindings,
  hasErrors,
  type Severity,
  sortFindings,
} from './finding.ts';
export { CNIS, type Cni, detectPlatform, PLATFORMS, type Platform, type PlatformFlags } from './platform.ts';
export { RULES } from './rules.ts';
