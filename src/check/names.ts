// The CNIs and platforms the check rules know, alone in a file so the command line's option list can
// name them without loading the rules (defined with the scenario field that names them).
export { CNIS, type Cni, PLATFORMS, type PlatformName } from '../scenario/cni.ts';
