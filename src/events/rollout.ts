// A Deployment's rolling update (Kubernetes' RollingUpdate strategy): at most `surge` new pods above the
// desired count and at most `unavailable` pods missing at any time. A surged replacement starts next to
// the old pod and takes over when ready; otherwise the old pod leaves first and the new one starts in
// its place. Old pods leave load balancing, drain their connections and are killed after the grace period.
import { EndpointKind } from '../mesh/index.ts';
import type { DisruptionHost } from './host.ts';
import { whenCniReady } from './istio-cni.ts';
import type { Tracker } from './record.ts';
import { deletionsOf } from './replica-deletions.ts';
import { beginRevision, endRevision } from './revision.ts';
import { boundReplacement, terminatingOld } from './rollout-transit.ts';
import { freeRoom, placePod, type Room, roomOf } from './room.ts';
import { leaveEndpoints, terminate } from './terminate.ts';

export interface RestartPlan {
  pods: number[];
  surge: number;
  unavailable: number;
  /** Connections drain this long after SIGTERM (the sidecar's terminationDrainDuration, else 0). */
  drain: (pod: number) => number;
  grace: number;
  /** The endpoint kind after the restart (migration: the sidecar is gone, ztunnel captures it). */
  newKind?: number;
  /** Never schedule on this node (it is being drained). */
  exclude?: number;
  /** Try this node first (an already-upgraded one). */
  prefer?: number;
  /** Blue/green: new pods go to an empty node pool, so room is never short. */
  freeRoom?: boolean;
  /**
   * A Deployment's rollout (a new ReplicaSet: its pods are spread against each other, revision.ts), not
   * a controller replacing pods in their own ReplicaSet (evictions, a drain, preemption). Its pods are
   * of one Deployment.
   */
  newRevision?: boolean;
}

/**
 * Restarts `plan.pods`; `rolledOut` is called when the last new pod is ready, `settled` when the last old
 * one is gone.
 */
export function rollingRestart(
  host: DisruptionHost,
  plan: RestartPlan,
  t: Tracker,
  rolledOut: () => void,
  settled: () => void,
): void {
  const queue = [...plan.pods];
  // Kubernetes rejects a rollout with both at 0; it then behaves as maxUnavailable 1.
  const surgeMax = plan.surge;
  const unavailableMax = plan.surge === 0 && plan.unavailable === 0 ? 1 : plan.unavailable;
  let surging = 0;
  let missing = 0;
  let oldAlive = 0;
  let finished = false;
  let rolled = false;
  const owner = plan.pods.length > 0 ? host.placement.pods[plan.pods[0]!]!.owner : '';
  const revision = plan.newRevision ? beginRevision(host, owner) : null;
  const check = () => {
    if (!rolled && queue.length === 0 && surging === 0 && missing === 0) {
      rolled = true;
      if (revision) endRevision(host, owner, revision);
      rolledOut();
    }
    if (rolled && oldAlive === 0 && !finished) {
      finished = true;
      settled();
    }
  };
  // A new pod starts as it will run: with a sidecar or not (a migration's has none).
  const startup = (pod: number) => host.startupTime(pod, plan.newKind ?? host.podKind[pod]);
  // A pod its ReplicaSet deletes (a scale-down) during the rollout is not restarted, or no further.
  const deletedAtStart = new Map(plan.pods.map((p) => [p, deletionsOf(host, p)]));
  const deleted = (pod: number) => deletionsOf(host, pod) !== deletedAtStart.get(pod);
  const pump = () => {
    while (queue.length > 0) {
      if (deleted(queue[0]!)) {
        queue.shift();
        continue;
      }
      if (surging < surgeMax) {
        surging++;
        surgeOne(queue.shift()!);
      } else if (missing < unavailableMax) {
        missing++;
        replaceOne(queue.shift()!);
      } else break;
    }
    check();
  };
  // Indices replaced without surge whose new pod is not bound to a node yet: once the old pod is gone
  // too, the index holds no memory until it is (a replacement Pending after an eviction, say).
  const unbound = new Set<number>();
  // `vacates`: the old pod leaves before its replacement takes over its index (no surge).
  const retireOld = (pod: number, oldRoom: Room, vacates: boolean) => {
    oldAlive++;
    const gone = terminatingOld(host, pod, oldRoom.node, vacates);
    terminate(host, pod, plan.drain(pod), plan.grace, () => {
      gone();
      if (vacates && unbound.has(pod)) host.setVacant(pod, true);
      if (!plan.freeRoom) freeRoom(host, t, oldRoom);
      oldAlive--;
      check();
    });
  };
  /** Once room is reserved, the new pod starts; `ready` runs when it has taken over. */
  const startNew = (pod: number, beforeTakeover: () => void, ready: () => void) => {
    const abandon = () => {
      unbound.delete(pod);
      ready();
      pump();
    };
    const opts = {
      exclude: plan.exclude,
      prefer: plan.prefer,
      free: plan.freeRoom,
      abandon: () => deleted(pod),
      newRevision: plan.newRevision,
    };
    placePod(
      host,
      pod,
      t,
      opts,
      (room) => {
        // Bound to its node now: the topology rules of pods placed meanwhile count it there.
        const takeover = boundReplacement(host, pod, room.node);
        if (unbound.delete(pod)) host.setVacant(pod, false);
        revision?.add(pod);
        const start = () =>
          host.after(startup(pod), () => {
            if (deleted(pod)) {
              // Deleted while it started: it never takes over, and its room frees.
              takeover();
              revision?.delete(pod);
              if (!plan.freeRoom) freeRoom(host, t, room);
              abandon();
              return;
            }
            beforeTakeover();
            host.movePod(pod, room.node);
            takeover();
            if (plan.newKind !== undefined) host.setKind(pod, plan.newKind);
            host.setUp(pod, true);
            host.setReady(pod, true);
            host.endpointsChanged?.(host.placement.pods[pod]!.owner);
            if (host.proxyOfPod(pod) >= 0) host.proxyConnected?.(host.proxyOfPod(pod));
            t.restarted();
            ready();
            pump();
          });
        // A new ambient pod needs its node's istio-cni agent to start.
        if ((plan.newKind ?? host.podKind[pod]) === EndpointKind.Captured)
          whenCniReady(host, room.node, start);
        else start();
      },
      abandon,
    );
  };
  const surgeOne = (pod: number) =>
    startNew(
      pod,
      () => retireOld(pod, roomOf(host, pod), false),
      () => surging--,
    );
  const replaceOne = (pod: number) => {
    unbound.add(pod);
    leaveEndpoints(host, pod);
    retireOld(pod, roomOf(host, pod), true);
    host.setUp(pod, false);
    startNew(
      pod,
      () => {},
      () => missing--,
    );
  };
  pump();
}
