// How a finding says where the platform settings came from.
import type { Platform } from './platform.ts';

export function detectedNote(p: Platform): string {
  return p.detected.length > 0 ? ` (read from ${p.detected.join(', ')})` : ' (from the command line)';
}
