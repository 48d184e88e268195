// The istio-cni node agent's DaemonSet update: one node at a time (chart default maxUnavailable 1,
// istio/istio manifests/charts/istio-cni/values.yaml, 1.22 to 1.28), the old agent stopping before the
// new one is up. Meanwhile the CNI plugin on that node cannot hand new ambient pods to the agent, so their
// sandbox creation fails and the kubelet retries until the agent is back (istio/istio
// cni/pkg/plugin/plugin.go: CmdAdd returns an error when the agent rejects or cannot take the pod).
// Pods already running keep their redirection: only pod starts wait.
import type { DisruptionHost } from './host.ts';

/** Per simulation: when each node's istio-cni agent is back (0: it is up). */
const backAt = new WeakMap<DisruptionHost, Float64Array>();

function agents(host: DisruptionHost): Float64Array {
  let a = backAt.get(host);
  if (!a) {
    a = new Float64Array(host.placement.nodes.length);
    backAt.set(host, a);
  }
  return a;
}

/** Restarts the agents of `nodes` one after another; `done` when the last is back. */
export function istioCniRollout(host: DisruptionHost, nodes: number[], done: () => void): void {
  const queue = [...nodes];
  const next = () => {
    const node = queue.shift();
    if (node === undefined) {
      done();
      return;
    }
    const startup = host.startupTime();
    agents(host)[node] = host.now + startup;
    host.after(startup, next);
  };
  next();
}

/** Runs `start` once the node's agent can set up a new ambient pod (at once when it is up). */
export function whenCniReady(host: DisruptionHost, node: number, start: () => void): void {
  const wait = (backAt.get(host)?.[node] ?? 0) - host.now;
  if (wait > 0) host.after(wait, start);
  else start();
}
