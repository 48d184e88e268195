// MSH407: PodDisruptionBudgets that forbid every eviction block node drains.

import { type Inventory, type Manifest, namespaceOf, num, obj, str } from '../import/index.ts';
import { desiredHealthy } from '../scenario/index.ts';
import { manifestObject } from './context.ts';
import type { Finding } from './finding.ts';
import type { Rule } from './rule.ts';
import { selectsPod } from './selectors.ts';

/** Pods the budget lets go at once (Kubernetes' rounding: minAvailable percent rounds up). */
function allowedDisruptions(
  m: Manifest,
  inv: Inventory,
): { allowed: number; replicas: number; names: string[] } {
  const spec = obj(m.body.spec);
  const ws = inv.workloads.filter(
    (w) =>
      w.namespace === namespaceOf(m) && w.kind !== 'DaemonSet' && selectsPod(obj(spec.selector), w.podLabels),
  );
  const replicas = ws.reduce((n, w) => n + (w.replicas ?? 1), 0);
  const value = (v: unknown, up: boolean) => {
    const s = str(v);
    if (s?.endsWith('%')) return (up ? Math.ceil : Math.floor)((Number(s.slice(0, -1)) / 100) * replicas);
    return num(v) ?? 0;
  };
  const allowed =
    spec.maxUnavailable !== undefined
      ? value(spec.maxUnavailable, false)
      : replicas - value(spec.minAvailable ?? 1, true);
  return { allowed, replicas, names: ws.map((w) => w.name) };
}

const ARCHITECTURES = {
  sidecar:
    'sidecar upgrades restart pods through the Deployment (not evictions): not blocked, but node upgrades are',
  ambient: 'a cordon-and-drain ztunnel upgrade (or any node upgrade) waits on this budget forever',
};
const ACTION =
  'allow at least one disruption (maxUnavailable: 1, or minAvailable below the replica count) and run 2+ replicas';
const REFERENCE =
  'https://kubernetes.io/docs/tasks/run-application/configure-pdb/ ; https://kubernetes.io/docs/concepts/workloads/pods/disruptions/';

/** A scenario service's disruptionBudget that allows no eviction of its replicas (events/cordon-drain.ts). */
function scenarioFindings(ctx: Parameters<Rule['check']>[0]): Finding[] {
  const out: Finding[] = [];
  for (const svc of ctx.scenario?.services ?? []) {
    const b = svc.disruptionBudget;
    if (!b || svc.replicas === 0) continue;
    if (svc.replicas - desiredHealthy(b, svc.replicas) > 0) continue;
    out.push({
      code: 'MSH407',
      severity: 'warning',
      title: 'PodDisruptionBudget blocks node drains',
      object: ctx.locate('service', svc.key),
      message: `the disruptionBudget of ${svc.key} allows 0 of ${svc.replicas} pod(s) to be evicted`,
      architectures: ARCHITECTURES,
      action: ACTION,
      reference: REFERENCE,
    });
  }
  return out;
}

export const pdbRule: Rule = {
  code: 'MSH407',
  check(ctx) {
    const inv = ctx.inventory;
    if (!inv) return scenarioFindings(ctx);
    const out: Finding[] = [];
    for (const m of inv.of('PodDisruptionBudget')) {
      const { allowed, replicas, names } = allowedDisruptions(m, inv);
      if (replicas === 0 || allowed > 0) continue;
      out.push({
        code: 'MSH407',
        severity: 'warning',
        title: 'PodDisruptionBudget blocks node drains',
        object: manifestObject(m),
        message: `${m.name} allows 0 of ${replicas} pod(s) (${names.join(', ')}) to be evicted`,
        architectures: ARCHITECTURES,
        action: ACTION,
        reference: REFERENCE,
      });
    }
    return out;
  },
};
