import { autoscaled, initialReplicas } from '../scenario/autoscaling.ts';
import { clientNamespace } from '../scenario/defaults.ts';
import { scaledReplicas, scaleSlots } from '../scenario/scale-targets.ts';
import type { Architecture, Autoscaling, DataplaneMode, ResourceSpec, Scenario } from '../scenario/types.ts';
import { clientDataplane, daemonDataplane, resolveModes, serviceDataplane } from './modes.ts';
import { selectionFailure } from './node-selection.ts';
import { buildNodes, type ClusterNode } from './nodes.ts';
import type { Component, PodSpec } from './pod.ts';

const ISTIO_NAMESPACE = 'istio-system';

/**
 * What `arch` runs on `nodes`, in scheduling order: DaemonSets (system-node-critical, they claim their node
 * first), istiod, waypoints, application pods, then load-generator pods.
 */
export function deploy(
  s: Scenario,
  arch: Architecture,
  nodes: readonly ClusterNode[] = buildNodes(s),
): PodSpec[] {
  const modes = resolveModes(s, arch);
  const workloads = [...applicationPods(s, arch, modes, false), ...clientPods(s, arch, modes)];
  const captured = workloads.some((p) => p.captured);
  const sidecars = workloads.some((p) => p.hasSidecar);
  // The ambient profile installs ztunnel on every node whether or not anything is enrolled yet; a
  // scenario that migrates sidecars to ambient installs it first (the migration's documented first step).
  const migrates = sidecars && s.events.some((e) => e.kind === 'migrate');
  const ztunnel = captured || arch === 'ambient' || migrates;
  const cni = ztunnel || (sidecars && s.mesh.istioCni.enabledInSidecarMode);
  // Array literals, not push(...list): a spread call passes every pod as an argument on the stack, which
  // overflows it at about 120,000 pods.
  return [
    ...(ztunnel ? daemonSet(nodes, 'ztunnel', s.mesh.ztunnel.resources) : []),
    ...(cni ? daemonSet(nodes, 'istio-cni', s.mesh.istioCni.resources) : []),
    ...platformDaemonSets(s, modes, nodes),
    ...(ztunnel || sidecars ? istiodPods(s, false) : []),
    ...waypointPods(s, modes, false),
    ...gatewayPods(s, false),
    ...workloads,
  ];
}

/**
 * The pods autoscalers and scale events may add, past what `deploy` starts with (up to each HPA's
 * maxReplicas, or what the scale events need), in the same order; `running` is what `deploy` returned
 * (istiod has standby pods only where it runs). They are scheduled only when their ReplicaSet scales
 * up, so nothing that sizes or places the starting cluster sees them.
 */
export function standbyPods(s: Scenario, arch: Architecture, running: readonly PodSpec[]): PodSpec[] {
  const modes = resolveModes(s, arch);
  const scaled = scaledReplicas(s);
  return [
    ...(running.some((p) => p.kind === 'istiod') ? istiodPods(s, true) : []),
    ...waypointPods(s, modes, true, scaled),
    ...gatewayPods(s, true, scaled),
    ...applicationPods(s, arch, modes, true, scaled),
  ];
}

function containers(parts: Array<[Component, ResourceSpec]>): Pick<PodSpec, 'requests' | 'limits'> {
  const requests: PodSpec['requests'] = {};
  const limits: NonNullable<PodSpec['limits']> = {};
  for (const [component, spec] of parts) {
    requests[component] = { ...spec.requests };
    if (spec.limits) limits[component] = { ...spec.limits };
  }
  return Object.keys(limits).length > 0 ? { requests, limits } : { requests };
}

const UNMESHED = { mode: 'none', hasSidecar: false, captured: false } as const;

/**
 * The platform's DaemonSets: a pod on each node its nodeSelector, nodeAffinity and tolerations allow (the
 * DaemonSet controller's nodeShouldRunDaemonPod, kubernetes/kubernetes v1.34 pkg/controller/daemon/
 * daemon_controller.go: the node's taints against its tolerations, its required node affinity), bound
 * there by node affinity, after the mesh's own (whose system-node-critical class goes first).
 */
function platformDaemonSets(
  s: Scenario,
  modes: ReadonlyMap<string, DataplaneMode>,
  nodes: readonly ClusterNode[],
): PodSpec[] {
  const pods: PodSpec[] = [];
  for (const ds of s.cluster.daemonSets ?? []) {
    const dp = daemonDataplane(ds, modes);
    const parts: Array<[Component, ResourceSpec]> = [['application', ds.resources]];
    if (dp.hasSidecar) parts.push(['sidecar', ds.sidecarResources ?? s.mesh.sidecar.resources]);
    const selection = {
      ...(ds.nodeSelector ? { nodeSelector: ds.nodeSelector } : {}),
      ...(ds.nodeAffinity ? { nodeAffinity: ds.nodeAffinity } : {}),
      ...(ds.tolerations ? { tolerations: ds.tolerations } : {}),
    };
    for (const n of nodes) {
      if (selectionFailure(n, selection) !== null) continue;
      pods.push({
        name: `${ds.key}-${n.name}`,
        kind: 'daemon',
        owner: ds.key,
        namespace: ds.namespace,
        ordinal: n.index,
        ...dp,
        ...containers(parts),
        usage: { ...ds.usage },
        ...(dp.hasSidecar && ds.sidecarWorkers !== undefined ? { sidecarWorkers: ds.sidecarWorkers } : {}),
        ...selection,
        pinnedNode: n.index,
      });
    }
  }
  return pods;
}

// DaemonSet pods are pinned to every node, tainted pools included: the ztunnel and istio-cni charts
// tolerate every NoSchedule and NoExecute taint (istio/istio 1.28 manifests/charts/ztunnel/values.yaml
// and manifests/charts/istio-cni/values.yaml: `tolerations: [{effect: NoSchedule, operator: Exists},
// {key: CriticalAddonsOnly, operator: Exists}, {effect: NoExecute, operator: Exists}]`).
function daemonSet(
  nodes: readonly ClusterNode[],
  kind: 'ztunnel' | 'istio-cni',
  res: ResourceSpec,
): PodSpec[] {
  return nodes.map((n) => ({
    name: `${kind}-${n.name}`,
    kind,
    owner: kind,
    namespace: ISTIO_NAMESPACE,
    ordinal: n.index,
    ...UNMESHED,
    ...containers([[kind, res]]),
    pinnedNode: n.index,
  }));
}

/**
 * How many pods an owner has in the tables, and which are standby: with an autoscaler, every replica up
 * to maxReplicas has a pod, those past the starting count standing by until it scales up; without one,
 * what its `scale` events need (`scaled`: scaleSlots).
 */
function ordinals(
  replicas: number,
  a: Autoscaling | null | undefined,
  standby: boolean,
  scaled: readonly number[] = [],
): number[] {
  const start = initialReplicas(replicas, a);
  // An HPA keeps maxReplicas pods; without one, the scenario's `scale` events set the most it needs.
  const top = autoscaled(replicas, a) ? a.maxReplicas : scaleSlots(start, scaled);
  const [from, to] = standby ? [start, top] : [0, start];
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

const standbyField = (standby: boolean): Pick<PodSpec, 'standby'> => (standby ? { standby } : {});

function istiodPods(s: Scenario, standby: boolean): PodSpec[] {
  return ordinals(s.mesh.istiod.replicas, s.mesh.istiod.autoscaling, standby).map((i) => ({
    name: `${ISTIO_NAMESPACE}/istiod-${i}`,
    kind: 'istiod' as const,
    owner: 'istiod',
    namespace: ISTIO_NAMESPACE,
    ordinal: i,
    ...UNMESHED,
    ...containers([['istiod', s.mesh.istiod.resources]]),
    ...standbyField(standby),
  }));
}

// Sidecars do L7 themselves, so a waypoint only runs where its namespace is ambient under `arch`.
/** `scaled`: the replicas each Deployment's scale events ask for (scaledReplicas), for its standby pods. */
type Scaled = ReadonlyMap<string, number[]>;
const NONE_SCALED: Scaled = new Map();

function waypointPods(
  s: Scenario,
  modes: ReadonlyMap<string, DataplaneMode>,
  standby: boolean,
  scaled = NONE_SCALED,
): PodSpec[] {
  const pods: PodSpec[] = [];
  for (const wp of s.waypoints) {
    if (modes.get(wp.namespace) !== 'ambient') continue;
    for (const i of ordinals(
      wp.replicas,
      wp.autoscaling,
      standby,
      scaled.get(`${wp.namespace}/${wp.name}`),
    )) {
      pods.push({
        name: `${wp.namespace}/${wp.name}-${i}`,
        kind: 'waypoint',
        owner: `${wp.namespace}/${wp.name}`,
        namespace: wp.namespace,
        ordinal: i,
        // Waypoints take HBONE directly; ztunnel does not capture them.
        mode: 'ambient',
        hasSidecar: false,
        captured: false,
        ...containers([['waypoint', wp.resources]]),
        ...standbyField(standby),
      });
    }
  }
  return pods;
}

/**
 * The ingress gateway Deployment, in every architecture, when some entry point comes through it. It is an
 * Envoy of its own (the gateway injection template), neither injected with a sidecar nor captured by
 * ztunnel: in a mesh it speaks mTLS and HBONE itself.
 */
function gatewayPods(s: Scenario, standby: boolean, scaled = NONE_SCALED): PodSpec[] {
  if (!s.traffic.some((e) => e.via === 'ingress')) return [];
  const gw = s.mesh.ingressGateway;
  return ordinals(gw.replicas, gw.autoscaling, standby, scaled.get(gatewayOwner(s))).map((i) => ({
    name: `${gw.namespace}/${gw.name}-${i}`,
    kind: 'gateway' as const,
    owner: gatewayOwner(s),
    namespace: gw.namespace,
    ordinal: i,
    ...UNMESHED,
    ...containers([['gateway', gw.resources]]),
    ...gw.scheduling,
    ...standbyField(standby),
  }));
}

/** Owner key of the ingress gateway Deployment. */
export function gatewayOwner(s: Scenario): string {
  return `${s.mesh.ingressGateway.namespace}/${s.mesh.ingressGateway.name}`;
}

function applicationPods(
  s: Scenario,
  arch: Architecture,
  modes: ReadonlyMap<string, DataplaneMode>,
  standby: boolean,
  scaled = NONE_SCALED,
): PodSpec[] {
  const pods: PodSpec[] = [];
  for (const svc of s.services) {
    for (const i of ordinals(svc.replicas, svc.autoscaling, standby, scaled.get(svc.key))) {
      const dp = serviceDataplane(svc, i, arch, modes);
      // A service with versions numbers its pods across them, in list order (simulate/world/mixes.ts).
      const version = svc.versions?.[versionIndex(svc.versions, i)];
      const parts: Array<[Component, ResourceSpec]> = [['application', version?.resources ?? svc.resources]];
      if (dp.hasSidecar) parts.push(['sidecar', svc.sidecarResources ?? s.mesh.sidecar.resources]);
      pods.push({
        name: version ? `${svc.key}-${version.name}-${i}` : `${svc.key}-${i}`,
        kind: 'app',
        owner: svc.key,
        namespace: svc.namespace,
        ordinal: i,
        ...(dp.hasSidecar && svc.sidecarWorkers !== undefined ? { sidecarWorkers: svc.sidecarWorkers } : {}),
        ...dp,
        ...containers(parts),
        ...svc.scheduling,
        ...standbyField(standby),
      });
    }
  }
  return pods;
}

/** The version of a service's pod `ordinal`: versions own consecutive ordinals in list order. */
export function versionIndex(versions: ReadonlyArray<{ replicas: number }>, ordinal: number): number {
  let left = ordinal;
  for (let v = 0; v < versions.length; v++) {
    if (left < versions[v]!.replicas) return v;
    left -= versions[v]!.replicas;
  }
  return versions.length - 1;
}

/**
 * The load generator requests what its `clientPod.resources` say, nothing by default (a request-less pod
 * like Bookinfo's, still scored by kube-scheduler at its non-zero defaults); a sidecar it carries is mesh
 * cost like any other and is requested. It goes where its nodeSelector and tolerations let it.
 */
function clientPods(s: Scenario, arch: Architecture, modes: ReadonlyMap<string, DataplaneMode>): PodSpec[] {
  const pods: PodSpec[] = [];
  for (const ep of s.traffic) {
    const dp = clientDataplane(s, ep, arch, modes);
    const { resources = HARNESS, namespace = clientNamespace(ep), ...scheduling } = ep.clientPod ?? {};
    const parts: Array<[Component, ResourceSpec]> = [['client', resources]];
    if (dp.hasSidecar) parts.push(['sidecar', s.mesh.sidecar.resources]);
    for (let i = 0; i < ep.clients; i++) {
      pods.push({
        name: `${namespace}/${ep.name}-client-${i}`,
        kind: 'client',
        owner: ep.name,
        namespace,
        ordinal: i,
        ...dp,
        ...containers(parts),
        ...scheduling,
      });
    }
  }
  return pods;
}

const HARNESS: ResourceSpec = { requests: { cpu: 0, memory: 0 } };
