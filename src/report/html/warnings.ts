// What should stop a reader before any chart: pods that did not fit, memory beyond what a node has,
// calls whose L7 policy nothing enforces. Read from the placement, components and edges of each
// architecture; the simulator's own warning strings that say something else are kept as they are.
import type { ArchResult, Results } from '../../simulate/index.ts';
import { nodeMemoryInUse } from '../charts/index.ts';
import { fmt } from '../format.ts';
import { escapeHtml } from './escape.ts';
import { archName } from './headline.ts';

const MiB = 2 ** 20;
/** Items listed per warning before the rest are counted. */
const LIST = 3;

const mib = (bytes: number) => Math.round(bytes / MiB).toLocaleString('en-US');

const some = (xs: string[]) =>
  xs.length <= LIST ? xs.join('; ') : `${xs.slice(0, LIST).join('; ')}; and ${xs.length - LIST} more`;

export function warningsOf(a: ArchResult): string[] {
  const out: string[] = [];
  const u = a.placement.unschedulable;
  if (u.length > 0)
    out.push(
      `${u.length} pod${u.length === 1 ? '' : 's'} could not be scheduled: ${some(u.map((p) => `${p.name} (${p.reason})`))}`,
    );
  const over = nodeMemoryInUse(a).filter((n) => n.inUse > n.allocatable);
  if (over.length > 0)
    out.push(
      `memory beyond capacity on ${over.length} node${over.length === 1 ? '' : 's'} (estimated from each component's use over its requests): ${some(over.map((n) => `${n.node} ${mib(n.inUse)} of ${mib(n.allocatable)} MiB`))}`,
    );
  const above = a.components.filter((c) => c.memory.requested > 0 && c.memory.used.mean > c.memory.requested);
  if (above.length > 0)
    out.push(
      `memory used above requests (eviction or OOM risk under pressure): ${some(above.map((c) => `${c.component} ${mib(c.memory.used.mean)} MiB used, ${mib(c.memory.requested)} MiB requested`))}`,
    );
  const l7 = a.edges.filter((e) => e.l7Unhonoured.mean > 0);
  if (l7.length > 0)
    out.push(
      `L7 features not honoured (retries, routing or authorization need an L7 proxy on the path; add a waypoint) on ${l7.length} call path${l7.length === 1 ? '' : 's'}: ${some(l7.map((e) => `${e.name} (${fmt(e.l7Unhonoured.mean)}/s)`))}`,
    );
  const covered = (w: string) => w.startsWith('unschedulable:') || w.includes('needs L7');
  out.push(...a.warnings.filter((w) => !covered(w)));
  return out;
}

export function warningsHtml(r: Results): string {
  const items = r.architectures.flatMap((a) =>
    warningsOf(a).map(
      (w) => `<li><strong>${escapeHtml(archName(a.architecture))}</strong>: ${escapeHtml(w)}</li>`,
    ),
  );
  const cautions = findingsHtml(r);
  if (items.length === 0)
    return `<p class="ok">No warnings: every pod was scheduled, no node is estimated beyond its memory, every L7 feature asked for is honoured.</p>${cautions}`;
  return `<div class="warnings"><h3>Warnings</h3><ul>${items.join('\n')}</ul></div>${cautions}`;
}

/** The operational cautions `meshsim check` found (when run carried them): severity, code, what, what to do. */
function findingsHtml(r: Results): string {
  const findings = r.findings ?? [];
  if (findings.length === 0) return '';
  const rows = findings.map((f) => {
    const where = f.object.line !== undefined ? ` (${f.object.file ?? ''}:${f.object.line})` : '';
    return (
      `<li><strong>${escapeHtml(f.severity)} ${escapeHtml(f.code)}</strong> ${escapeHtml(f.object.kind)} ` +
      `${escapeHtml(f.object.name)}${escapeHtml(where)}: ${escapeHtml(f.title)}. ${escapeHtml(f.message)}. ` +
      `<em>What to do:</em> ${escapeHtml(f.action)}</li>`
    );
  });
  return `<details class="warnings"${findings.some((f) => f.severity !== 'info') ? ' open' : ''}><summary>Operational cautions (meshsim check): ${findings.length}</summary><ul>${rows.join('\n')}</ul></details>`;
}
