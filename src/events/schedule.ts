// Turns the scenario's events into mechanisms for the architecture being simulated: the same
// `upgrade: dataplane` is a rolling restart of every injected pod with sidecars, a ztunnel DaemonSet
// update in ambient mode, and nothing at all without a mesh.
import type { PlacedPod } from '../cluster/index.ts';
import { EndpointKind } from '../mesh/index.ts';
import type { RolloutSettings, Scenario, ScenarioEvent } from '../scenario/index.ts';
import { ztunnelRollout } from './daemonset.ts';
import { nodeFault, proxyFault } from './faults.ts';
import type { DisruptionHost } from './host.ts';
import { type DisruptionRecord, resolveIntOrPercent, Tracker } from './record.ts';
import { rollingRestart } from './rollout.ts';

export interface ScheduledEvents {
  /** Closes every record at the end of the run. */
  close(runEnd: number, warmup: number): DisruptionRecord[];
}

export function scheduleEvents(host: DisruptionHost, s: Scenario): ScheduledEvents {
  const trackers: Tracker[] = [];
  for (const ev of s.events) {
    host.after(ev.at - host.now, () => trackers.push(start(host, s, ev)));
  }
  return { close: (end, warmup) => trackers.map((t) => t.close(end, warmup)) };
}

function label(ev: ScenarioEvent): string {
  switch (ev.kind) {
    case 'upgrade':
      if (ev.target === 'dataplane') return `upgrade dataplane (${ev.strategy})`;
      return ev.target === 'waypoint'
        ? `upgrade waypoint${ev.waypoint ? ` ${ev.waypoint}` : 's'}`
        : 'upgrade control plane';
    case 'migrate':
      return `migrate ${ev.namespaces.join(', ')} to ambient`;
    case 'scale':
      return `scale ${ev.target} to ${ev.replicas}`;
    case 'fault':
      return `fault: ${ev.target} ${ev.selector}`;
  }
}

function start(host: DisruptionHost, s: Scenario, ev: ScenarioEvent): Tracker {
  const t = new Tracker(host, label(ev), ev.kind, '');
  switch (ev.kind) {
    case 'upgrade':
      if (ev.target === 'dataplane') dataplane(host, ev, t);
      else if (ev.target === 'waypoint') waypoints(host, s, ev.rollout, t, ev.waypoint);
      else controlPlane(host, t);
      break;
    case 'migrate':
      migrate(host, ev, t);
      break;
    case 'scale':
      scale(host, s, ev, t);
      break;
    case 'fault':
      fault(host, ev, t);
      break;
  }
  return t;
}

const running = (host: DisruptionHost, p: PlacedPod) => p.node >= 0 && host.podUp[p.index] === 1;

/** Deployments (owner -> pods) of application pods matching `pick`, in scenario order. */
function deployments(host: DisruptionHost, pick: (p: PlacedPod) => boolean): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const p of host.placement.pods) {
    if (p.kind !== 'app' || !running(host, p) || !pick(p)) continue;
    const list = out.get(p.owner) ?? [];
    list.push(p.index);
    out.set(p.owner, list);
  }
  return out;
}

function drainOf(host: DisruptionHost) {
  return (pod: number) => (host.podKind[pod] === EndpointKind.Sidecar ? host.lifecycle.sidecarDrain : 0);
}

/**
 * Rolls the given Deployments, `parallel` at a time; each with its own maxSurge / maxUnavailable.
 * Calls `rolledOut` and `settled` once for the whole set.
 */
function rollDeployments(
  host: DisruptionHost,
  deps: Map<string, number[]>,
  rollout: RolloutSettings,
  t: Tracker,
  extra: { newKind?: number; freeRoom?: boolean; drain?: (pod: number) => number },
  rolledOut: () => void,
  settled: () => void,
): void {
  const queue = [...deps.entries()];
  let active = 0;
  let unsettled = queue.length;
  if (queue.length === 0) {
    rolledOut();
    settled();
    return;
  }
  const next = () => {
    while (active < Math.max(1, rollout.parallelDeployments) && queue.length > 0) {
      const [owner, pods] = queue.shift()!;
      active++;
      t.watch(owner, pods.length);
      rollingRestart(
        host,
        {
          pods,
          surge: resolveIntOrPercent(rollout.maxSurge, pods.length, true),
          unavailable: resolveIntOrPercent(rollout.maxUnavailable, pods.length, false),
          drain: extra.drain ?? drainOf(host),
          grace: host.lifecycle.terminationGrace,
          newKind: extra.newKind,
          freeRoom: extra.freeRoom,
        },
        t,
        () => {
          active--;
          if (queue.length === 0 && active === 0) rolledOut();
          next();
        },
        () => {
          if (--unsettled === 0) settled();
        },
      );
    }
  };
  next();
}

function dataplane(
  host: DisruptionHost,
  ev: Extract<ScenarioEvent, { target: 'dataplane' }>,
  t: Tracker,
): void {
  const injected = deployments(host, (p) => host.podKind[p.index] === EndpointKind.Sidecar);
  const ztNodes = [...host.ztunnelOfNode.keys()].filter((n) => host.ztunnelOfNode[n]! >= 0);
  const captured = host.placement.pods.some(
    (p) => running(host, p) && host.podKind[p.index] === EndpointKind.Captured,
  );
  const parts: string[] = [];
  let pendingRolls = 0;
  let pendingSettles = 0;
  const rolled = () => {
    if (--pendingRolls === 0) t.rolledOut();
  };
  const settle = () => {
    if (--pendingSettles === 0) t.settled();
  };
  const nodeCount = host.placement.nodes.length;

  if (ev.strategy === 'blue-green') {
    // A new node pool with the new version everywhere; every pod moves over once; both pools run meanwhile.
    const all = deployments(host, () => true);
    parts.push(
      `blue/green: ${[...all.values()].flat().length} pods move to a new pool of ${nodeCount} nodes`,
    );
    pendingRolls = pendingSettles = 1;
    const t0 = host.now;
    rollDeployments(host, all, ev.rollout, t, { freeRoom: true }, rolled, () => {
      t.rec.extraNodeHours = (nodeCount * (host.now - t0)) / 3600;
      settle();
    });
    t.rec.mechanism = parts.join('; ');
    return;
  }
  if (injected.size > 0) {
    parts.push(
      `rolling restart of ${[...injected.values()].flat().length} injected pods in ${injected.size} Deployments`,
    );
    pendingRolls++;
    pendingSettles++;
  }
  const ztunnelToo = captured || (ztNodes.length > 0 && injected.size === 0);
  if (ztunnelToo && ztNodes.length > 0) {
    pendingRolls++;
    pendingSettles++;
    if (ev.strategy === 'cordon-drain') {
      parts.push(`cordon and drain each of ${ztNodes.length} nodes, then restart its ztunnel`);
    } else {
      parts.push(`ztunnel DaemonSet rolling update over ${ztNodes.length} nodes`);
    }
  }
  if (pendingRolls === 0) {
    t.rec.mechanism = 'no data plane to upgrade';
    t.rolledOut();
    t.settled();
    return;
  }
  t.rec.mechanism = parts.join('; ');
  if (injected.size > 0) rollDeployments(host, injected, ev.rollout, t, {}, rolled, settle);
  if (!(ztunnelToo && ztNodes.length > 0)) return;
  if (ev.strategy === 'cordon-drain') {
    cordonDrain(host, ztNodes, t, rolled, settle);
    return;
  }
  ztunnelRollout(
    host,
    {
      nodes: ztNodes,
      surge: resolveIntOrPercent(ev.daemonSet.maxSurge, ztNodes.length, true),
      unavailable: resolveIntOrPercent(ev.daemonSet.maxUnavailable, ztNodes.length, false),
    },
    t,
    rolled,
    settle,
  );
}

/**
 * The alternative users take to avoid resets: drain each node before its ztunnel restarts, so nothing is
 * left for the old ztunnel to reset. Evictions honour a PodDisruptionBudget of one pod at a time (the next
 * waits until the previous replacement is ready), replacements go to an upgraded node when they fit, and
 * the ztunnel restarts once the evicted pods are gone. It costs a restart of every pod (some twice, when
 * a replacement had to land on a node drained later).
 */
function cordonDrain(
  host: DisruptionHost,
  nodes: number[],
  t: Tracker,
  rolledOut: () => void,
  settled: () => void,
): void {
  const queue = [...nodes];
  let previous = -1;
  const next = () => {
    const node = queue.shift();
    if (node === undefined) {
      rolledOut();
      settled();
      return;
    }
    const pods = host.placement.pods
      .filter(
        (p) =>
          (p.kind === 'app' || p.kind === 'waypoint') && running(host, p) && host.podNode[p.index] === node,
      )
      .map((p) => p.index);
    for (const p of pods) {
      const owner = host.placement.pods[p]!.owner;
      t.watch(owner, host.placement.byOwner.get(owner)!.length);
    }
    let gone = 0;
    const restartZtunnel = () =>
      host.after(host.startupTime(), () => {
        host.ztunnelSwitch(node, host.lifecycle.ztunnelDrain);
        t.rec.daemonSetPodsReplaced++;
        previous = node;
        next();
      });
    const evict = (i: number) => {
      if (i >= pods.length) return;
      rollingRestart(
        host,
        {
          pods: [pods[i]!],
          surge: 0,
          unavailable: 1,
          drain: drainOf(host),
          grace: host.lifecycle.terminationGrace,
          exclude: node,
          prefer: previous,
        },
        t,
        () => evict(i + 1),
        () => {
          if (++gone === pods.length) restartZtunnel();
        },
      );
    };
    if (pods.length === 0) restartZtunnel();
    else evict(0);
  };
  next();
}

function waypoints(
  host: DisruptionHost,
  s: Scenario,
  rollout: RolloutSettings,
  t: Tracker,
  name?: string,
): void {
  const deps = new Map<string, number[]>();
  for (const w of s.waypoints) {
    if (name && w.name !== name) continue;
    const owner = `${w.namespace}/${w.name}`;
    const pods = (host.placement.byOwner.get(owner) ?? []).filter((i) =>
      running(host, host.placement.pods[i]!),
    );
    if (pods.length > 0) deps.set(owner, pods);
  }
  if (deps.size === 0) {
    t.rec.mechanism = 'no waypoint runs in this architecture';
    t.rolledOut();
    t.settled();
    return;
  }
  t.rec.mechanism = `rolling restart of ${[...deps.values()].flat().length} waypoint pods; their callers' connections drain and reset`;
  rollDeployments(
    host,
    deps,
    rollout,
    t,
    { drain: () => host.lifecycle.sidecarDrain },
    () => t.rolledOut(),
    () => t.settled(),
  );
}

function controlPlane(host: DisruptionHost, t: Tracker): void {
  const sidecars = host.placement.pods.filter(
    (p) => running(host, p) && host.podKind[p.index] === EndpointKind.Sidecar,
  ).length;
  t.rec.mechanism =
    sidecars > 0
      ? `istiod rolls; no data-plane restart: ${sidecars} sidecars keep the old proxy version until their pods restart`
      : 'istiod rolls; no data-plane restart (ztunnel and waypoints upgrade separately)';
  t.rolledOut();
  t.settled();
}

function migrate(host: DisruptionHost, ev: Extract<ScenarioEvent, { kind: 'migrate' }>, t: Tracker): void {
  const hasZtunnel = host.ztunnelOfNode.some((z) => z >= 0);
  const perNamespace = ev.namespaces.map((ns) =>
    deployments(host, (p) => p.namespace === ns && host.podKind[p.index] === EndpointKind.Sidecar),
  );
  const total = perNamespace.reduce((n, d) => n + [...d.values()].flat().length, 0);
  if (total === 0 || !hasZtunnel) {
    t.rec.mechanism = !hasZtunnel
      ? 'ambient is not installed in this architecture (no ztunnel): nothing to migrate'
      : 'no pod carries a sidecar in these namespaces: nothing to migrate';
    t.rolledOut();
    t.settled();
    return;
  }
  t.rec.mechanism = `relabel ${ev.namespaces.join(', ')} for ambient and restart ${total} pods once (${ev.sequential ? 'one namespace after another' : 'all at once'}); sidecar and ambient pods interoperate meanwhile`;
  const groups = ev.sequential ? perNamespace : [new Map(perNamespace.flatMap((d) => [...d.entries()]))];
  let unsettled = groups.length;
  const run = (i: number) => {
    if (i >= groups.length) {
      t.rolledOut();
      return;
    }
    rollDeployments(
      host,
      groups[i]!,
      ev.rollout,
      t,
      { newKind: EndpointKind.Captured },
      () => run(i + 1),
      () => {
        if (--unsettled === 0) t.settled();
      },
    );
  };
  run(0);
}

function scale(
  host: DisruptionHost,
  s: Scenario,
  ev: Extract<ScenarioEvent, { kind: 'scale' }>,
  t: Tracker,
): void {
  const wp = s.waypoints.find((w) => w.name === ev.target);
  const owner = wp ? `${wp.namespace}/${wp.name}` : ev.target;
  const pods = (host.placement.byOwner.get(owner) ?? []).filter((i) => host.placement.pods[i]!.node >= 0);
  if (pods.length === 0) {
    t.rec.mechanism = `${owner} does not run in this architecture`;
    t.rolledOut();
    t.settled();
    return;
  }
  const want = Math.min(ev.replicas, pods.length);
  if (ev.replicas > pods.length)
    t.rec.notes.push(`scale-up is limited to the ${pods.length} placed pods of ${owner}`);
  const up = pods.filter((i) => host.podUp[i] === 1);
  t.watch(owner, up.length);
  let pending = 0;
  const done = () => {
    if (--pending <= 0) t.settled();
  };
  const down = up.slice(want);
  const start = pods.slice(0, want).filter((i) => host.podUp[i] === 0);
  t.rec.mechanism = `${owner}: ${down.length} pods scale down (their connections drain and reset), ${start.length} start`;
  pending = down.length + start.length;
  for (const pod of down) {
    host.setReady(pod, false);
    host.retire(pod, host.lifecycle.sidecarDrain, host.lifecycle.terminationGrace, done);
    host.setUp(pod, false);
  }
  for (const pod of start) {
    host.after(host.startupTime(), () => {
      host.setUp(pod, true);
      host.setReady(pod, true);
      done();
    });
  }
  t.rolledOut();
  if (pending === 0) t.settled();
}

function fault(host: DisruptionHost, ev: Extract<ScenarioEvent, { kind: 'fault' }>, t: Tracker): void {
  const pods = host.placement.pods;
  const radius = (affected: number[]) => {
    const services = [
      ...new Set(
        affected
          .map((i) => pods[i]!)
          .filter((p) => p.kind === 'app')
          .map((p) => p.owner),
      ),
    ].sort();
    t.rec.blastRadius = {
      pods: affected.length,
      services,
      nodes: new Set(affected.map((i) => host.podNode[i]!)).size,
    };
  };
  if (ev.target === 'node') {
    const node = Number(ev.selector);
    t.rec.mechanism = `node ${host.placement.nodes[node]?.name ?? node} fails: every pod, sidecar and ztunnel on it`;
    radius(
      nodeFault(host, node, ev.recovery, t).filter(
        (i) => pods[i]!.kind === 'app' || pods[i]!.kind === 'waypoint',
      ),
    );
    return;
  }
  if (ev.target === 'ztunnel') {
    const node = Number(ev.selector);
    const z = host.ztunnelOfNode[node] ?? -1;
    if (z < 0) {
      none(t, 'no ztunnel runs in this architecture');
      return;
    }
    const captured = pods.filter(
      (p) =>
        running(host, p) && host.podNode[p.index] === node && host.podKind[p.index] === EndpointKind.Captured,
    );
    t.rec.mechanism = `ztunnel on ${host.placement.nodes[node]!.name} fails: ${captured.length} captured pods lose their data plane`;
    radius(captured.map((p) => p.index));
    proxyFault(host, z, -1, ev.recovery, t);
    return;
  }
  const owner =
    ev.target === 'sidecar'
      ? ev.selector
      : (() => {
          const names = [...host.placement.byOwner.keys()].filter((o) => o.endsWith(`/${ev.selector}`));
          return names[0] ?? ev.selector;
        })();
  const pod = (host.placement.byOwner.get(owner) ?? []).find(
    (i) => running(host, pods[i]!) && host.podReady[i] === 1,
  );
  const proxy = pod === undefined ? -1 : host.proxyOfPod(pod);
  if (
    pod === undefined ||
    proxy < 0 ||
    (ev.target === 'sidecar' && host.podKind[pod] !== EndpointKind.Sidecar)
  ) {
    none(
      t,
      ev.target === 'sidecar'
        ? `${owner} has no sidecar in this architecture`
        : `no ${ev.target} ${ev.selector} runs in this architecture`,
    );
    return;
  }
  t.rec.mechanism = `${ev.target} of ${pods[pod]!.name} fails for ${ev.recovery} s`;
  t.watch(owner, (host.placement.byOwner.get(owner) ?? []).length);
  radius([pod]);
  proxyFault(host, proxy, pod, ev.recovery, t);
}

function none(t: Tracker, why: string): void {
  t.rec.mechanism = why;
  t.rolledOut();
  t.settled();
}
