// A new pod needs room on a node before it can start; when there is none it stays pending until some
// other pod's room is released (what the scheduler does with a surge pod on a full cluster).
import { podRequests } from '../cluster/index.ts';
import type { DisruptionHost } from './host.ts';
import type { Tracker } from './record.ts';

export interface Room {
  node: number;
  cpu: number;
  memory: number;
}

/**
 * Calls `then` with the node once room is reserved for `pod` (`prefer`, else its own node first; never
 * `exclude`).
 * `free` (blue/green) means the room is on a new, empty node pool: nothing to reserve.
 */
export function placePod(
  host: DisruptionHost,
  pod: number,
  t: Tracker,
  opts: { exclude?: number; free?: boolean; node?: number; prefer?: number },
  then: (room: Room) => void,
): void {
  const { cpu, memory } = podRequests(host.placement.pods[pod]!);
  const prefer = opts.node ?? opts.prefer ?? host.podNode[pod]!;
  const attempt = (): boolean => {
    if (opts.free) {
      then({ node: prefer, cpu: 0, memory: 0 });
      return true;
    }
    // A DaemonSet pod is bound to its node whatever the node's state (cluster/reason.ts).
    const node = host.reserve(cpu, memory, prefer, opts.exclude, opts.node !== undefined);
    // A DaemonSet pod must run on its own node.
    if (node < 0 || (opts.node !== undefined && node !== opts.node)) {
      if (node >= 0) host.unreserve(node, cpu, memory);
      return false;
    }
    t.surge(cpu, memory);
    then({ node, cpu, memory });
    return true;
  };
  if (attempt()) return;
  const placed = t.pendingStart(pod);
  const retry = () => {
    if (!attempt()) return;
    placed();
    const i = host.roomListeners.indexOf(retry);
    if (i >= 0) host.roomListeners.splice(i, 1);
  };
  host.roomListeners.push(retry);
}

/** Releases the room an old pod held, once it is gone. */
export function freeRoom(host: DisruptionHost, t: Tracker, room: Room): void {
  if (room.cpu === 0 && room.memory === 0) return;
  host.unreserve(room.node, room.cpu, room.memory);
  t.surge(-room.cpu, -room.memory);
}
