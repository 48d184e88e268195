// Disruption events, with their targets checked against what the scenario declares, sorted by time.
import {
  DEFAULT_DAEMONSET,
  DEFAULT_EVICT_AFTER,
  DEFAULT_FAULT_RECOVERY,
  DEFAULT_ROLLOUT,
  nodeMonitorGracePeriod,
} from '../assumptions.ts';
import type { Problems } from '../pending.ts';
import type { RawEvent } from '../schema/events.ts';
import type { NodePool, RolloutSettings, ScenarioEvent } from '../types.ts';
import { minorOf, nextMinor } from '../version.ts';
import type { ServiceIndex } from './resolve.ts';

export interface EventContext {
  index: ServiceIndex;
  namespaces: string[];
  waypoints: string[];
  /**
   * The ingress gateway Deployment: its name, its owner key (namespace/name; an event may name it either
   * way), and whether an entry point comes through it.
   */
  gateway: { name: string; owner: string; used: boolean };
  pools: NodePool[];
  duration: number;
  problems: Problems;
  meshVersion: string;
  kubernetesVersion: string;
}

type RawRollout = Partial<Record<keyof RolloutSettings, unknown>> & {
  maxSurge?: RolloutSettings['maxSurge'] | undefined;
  maxUnavailable?: RolloutSettings['maxUnavailable'] | undefined;
  parallelDeployments?: number | 'all' | undefined;
};

function rollout(raw: RawRollout): RolloutSettings {
  return {
    maxSurge: { ...(raw.maxSurge ?? DEFAULT_ROLLOUT.maxSurge) },
    maxUnavailable: { ...(raw.maxUnavailable ?? DEFAULT_ROLLOUT.maxUnavailable) },
    parallelDeployments: raw.parallelDeployments ?? DEFAULT_ROLLOUT.parallelDeployments,
  };
}

/** Node names `<pool>-<i>` and indices `0..N-1`, numbered pool after pool. */
function nodeIndex(selector: string, pools: NodePool[]): string | undefined {
  const total = pools.reduce((n, p) => n + p.count, 0);
  if (/^\d+$/.test(selector)) return Number(selector) < total ? String(Number(selector)) : undefined;
  let offset = 0;
  for (const p of pools) {
    const m = new RegExp(`^${p.name}-(\\d+)$`).exec(selector);
    if (m && Number(m[1]) < p.count) return String(offset + Number(m[1]));
    offset += p.count;
  }
  return undefined;
}

const GATEWAY_RUNS = 'the ingress gateway runs only for entry points with via: ingress';

/** An event names the ingress gateway Deployment by its name (mesh.ingressGateway.name) or namespace/name. */
function namesGateway(g: EventContext['gateway'], target: string): boolean {
  return target === g.name || target === g.owner;
}

function fault(
  raw: Extract<RawEvent, { fault: string }>,
  at: PropertyKey[],
  ctx: EventContext,
): ScenarioEvent {
  let selector: string | undefined = raw.selector;
  const where = [...at, 'selector'];
  if (raw.fault === 'sidecar') {
    const r = ctx.index.resolve(raw.selector);
    selector = 'key' in r ? r.key : undefined;
    if ('expected' in r) ctx.problems.add(where, r.expected, { candidates: r.candidates });
  } else if (raw.fault === 'waypoint') {
    if (!ctx.waypoints.includes(raw.selector)) {
      ctx.problems.add(where, 'the name of a declared waypoint', { candidates: ctx.waypoints });
    }
  } else if (raw.fault === 'gateway') {
    const g = ctx.gateway;
    if (!namesGateway(g, raw.selector))
      ctx.problems.add(where, `the ingress gateway's name (${g.name}, mesh.ingressGateway.name)`);
    else if (!g.used) ctx.problems.add([...at, 'fault'], `a proxy that runs: ${GATEWAY_RUNS}`);
    selector = g.owner;
  } else {
    selector = nodeIndex(raw.selector, ctx.pools);
    const total = ctx.pools.reduce((n, p) => n + p.count, 0);
    if (selector === undefined)
      ctx.problems.add(where, `a node index 0..${total - 1} or a node name <pool>-<i>`);
  }
  return {
    kind: 'fault',
    at: raw.at,
    target: raw.fault,
    selector: selector ?? raw.selector,
    recovery: raw.recovery ?? DEFAULT_FAULT_RECOVERY,
    notReadyAfter: raw.notReadyAfter ?? nodeMonitorGracePeriod(ctx.kubernetesVersion),
    evictAfter: raw.evictAfter ?? DEFAULT_EVICT_AFTER,
  };
}

function event(raw: RawEvent, at: PropertyKey[], ctx: EventContext): ScenarioEvent {
  const { problems } = ctx;
  if ('upgrade' in raw) {
    if (raw.upgrade === 'control-plane') {
      const to = raw.to ?? nextMinor(ctx.meshVersion);
      if (minorOf(to) <= minorOf(ctx.meshVersion))
        problems.add([...at, 'to'], `a version newer than mesh.version (${ctx.meshVersion})`);
      return { kind: 'upgrade', at: raw.at, target: 'control-plane', to, rollout: rollout(raw) };
    }
    if (raw.upgrade === 'gateway')
      return { kind: 'upgrade', at: raw.at, target: 'gateway', rollout: rollout(raw) };
    if (raw.upgrade === 'waypoint') {
      if (raw.waypoint !== undefined && !ctx.waypoints.includes(raw.waypoint)) {
        problems.add([...at, 'waypoint'], 'the name of a declared waypoint', { candidates: ctx.waypoints });
      }
      const e: ScenarioEvent = { kind: 'upgrade', at: raw.at, target: 'waypoint', rollout: rollout(raw) };
      if (raw.waypoint !== undefined) e.waypoint = raw.waypoint;
      return e;
    }
    const e: ScenarioEvent = {
      kind: 'upgrade',
      at: raw.at,
      target: 'dataplane',
      strategy: raw.strategy,
      rollout: rollout(raw),
      daemonSet: {
        maxSurge: { ...(raw.daemonSet?.maxSurge ?? DEFAULT_DAEMONSET.maxSurge) },
        maxUnavailable: { ...(raw.daemonSet?.maxUnavailable ?? DEFAULT_DAEMONSET.maxUnavailable) },
      },
    };
    if (raw.to !== undefined) e.to = raw.to;
    return e;
  }
  if ('migrate' in raw) {
    raw.migrate.forEach((ns, j) => {
      if (!ctx.namespaces.includes(ns)) {
        problems.add([...at, 'migrate', j], 'a declared namespace (or one a service is in)', {
          candidates: ctx.namespaces,
        });
      }
    });
    return {
      kind: 'migrate',
      at: raw.at,
      namespaces: [...raw.migrate],
      sequential: raw.sequential,
      rollout: rollout(raw),
    };
  }
  if ('scale' in raw) {
    const g = ctx.gateway;
    if (namesGateway(g, raw.scale)) {
      if (!g.used) problems.add([...at, 'scale'], `a Deployment that runs: ${GATEWAY_RUNS}`);
      return { kind: 'scale', at: raw.at, target: g.owner, replicas: raw.replicas };
    }
    const r = ctx.index.resolve(raw.scale);
    const isWaypoint = ctx.waypoints.includes(raw.scale);
    if ('expected' in r && !isWaypoint) {
      problems.add([...at, 'scale'], 'the name of a service, a waypoint or the ingress gateway', {
        candidates: [...r.candidates, ...ctx.waypoints],
      });
    }
    return { kind: 'scale', at: raw.at, target: 'key' in r ? r.key : raw.scale, replicas: raw.replicas };
  }
  return fault(raw, at, ctx);
}

export function normaliseEvents(raw: RawEvent[] | undefined, ctx: EventContext): ScenarioEvent[] {
  const events = (raw ?? []).map((e, i) => {
    const at = ['events', i];
    if (e.at >= ctx.duration)
      ctx.problems.add([...at, 'at'], `a time before the end of the simulation (${ctx.duration}s)`);
    return event(e, at, ctx);
  });
  // Array.prototype.sort is stable: events at the same time keep the file's order.
  return events.sort((a, b) => a.at - b.at);
}
