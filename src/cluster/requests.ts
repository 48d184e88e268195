import type { Resources } from '../scenario/types.ts';
import type { Placement } from './placement.ts';
import { COMPONENTS, type Component } from './pod.ts';

/**
 * Cluster-wide requests per component, over bound pods only: an unschedulable pod reserves nothing, and
 * its absence shows in `Placement.unschedulable` instead.
 */
export function requestedByComponent(p: Placement): Record<Component, Resources> {
  const out = Object.fromEntries(COMPONENTS.map((c) => [c, { cpu: 0, memory: 0 }])) as Record<
    Component,
    Resources
  >;
  for (const node of p.requested) {
    for (const c of COMPONENTS) {
      const r = node.byComponent[c];
      if (r) {
        out[c].cpu += r.cpu;
        out[c].memory += r.memory;
      }
    }
  }
  return out;
}
