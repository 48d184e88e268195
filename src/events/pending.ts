// A pod kube-scheduler could not bind waits as unschedulable until a cluster event may make it fit (room
// freed, a node opened: DisruptionHost.room.listeners announces both), and is then tried again, but not
// before its back-off since its last failed attempt has passed: 1 s after the first, doubling up to
// 10 s. Until then it waits in the back-off queue and is tried when the back-off ends (kubernetes v1.31.0
// pkg/scheduler/internal/queue/scheduling_queue.go: movePodsToActiveOrBackoffQueue, isPodBackingoff,
// calculateBackoffDuration; podInitialBackoffSeconds 1 and podMaxBackoffSeconds 10, the defaults of
// pkg/scheduler/apis/config/v1/defaults.go).
// ASSUMPTION: it is tried the moment its back-off ends (kube-scheduler moves finished back-offs to its
// active queue once a second), and the pods an event wakes are tried in the order they began waiting.
import type { DisruptionHost } from './host.ts';

/** kube-scheduler's podInitialBackoffSeconds and podMaxBackoffSeconds defaults. */
export const POD_INITIAL_BACKOFF = 1;
export const POD_MAX_BACKOFF = 10;

/** The back-off after `attempts` failed scheduling attempts (calculateBackoffDuration). */
export function podBackoff(attempts: number): number {
  let d = POD_INITIAL_BACKOFF;
  for (let i = 1; i < attempts; i++) {
    if (d > POD_MAX_BACKOFF - d) return POD_MAX_BACKOFF;
    d += d;
  }
  return d;
}

/**
 * A pod whose first attempt (`attempt`, just made) failed: tries it again after each event, back-off
 * permitting, until it succeeds, then calls `placed`. Returns a function that stops the waiting (the pod
 * was deleted).
 */
export function retryWhenRoom(host: DisruptionHost, attempt: () => boolean, placed: () => void): () => void {
  let attempts = 1;
  let last = host.now;
  let due = false;
  let done = false;
  const listeners = host.room.listeners;
  const stop = () => {
    done = true;
    const i = listeners.indexOf(onEvent);
    if (i >= 0) listeners.splice(i, 1);
  };
  const tryNow = () => {
    if (done) return;
    if (attempt()) {
      stop();
      placed();
      return;
    }
    attempts++;
    last = host.now;
  };
  const onEvent = () => {
    if (done || due) return;
    const wait = last + podBackoff(attempts) - host.now;
    if (wait <= 0) {
      tryNow();
      return;
    }
    due = true;
    host.after(wait, () => {
      due = false;
      tryNow();
    });
  };
  listeners.push(onEvent);
  return stop;
}
