// The CPU side of a world: each node's cores, each container's CFS weight and quota, each proxy's worker
// count, and the background CPU taken off the nodes' cores. Containers are numbered as the replication's
// node processors number them: proxies first (0..P-1), then the application of each pod (P + pod).
import type { Component, PlacedPod, Placement } from '../../cluster/index.ts';
import {
  type ContainerResources,
  containerCfs,
  flatWeights,
  selectionFailure,
  startsLater,
} from '../../cluster/index.ts';
import {
  configSize,
  envoyIdleCpu,
  envoyWorkers,
  GATEWAY,
  nodeAgentUsage,
  type ProxyClass,
  podsPerNode,
  SIDECAR,
  sidecarChurnShare,
  WAYPOINT,
  withIdleDefaults,
  ZTUNNEL,
  ztunnelIdleCpu,
  ztunnelWorkers,
} from '../../mesh/index.ts';
import { DEFAULT_KUBELET, type Scenario } from '../../scenario/index.ts';
import { nodeSlices } from './cpu-slice.ts';
import type { CpuTables, PodTables } from './types.ts';

/**
 * ASSUMPTION: a node never gives its pods less than 5 % of its allocatable cores, however much background
 * CPU its components declare (keeps the processor meaningful on a node whose agents exceed it).
 */
const MIN_CORE_SHARE = 0.05;
/** The fractional part of the golden ratio: i x GOLDEN mod 1 spreads any number of nodes evenly. */
const GOLDEN = 0.618_033_988_749_894_9;

/** The container of a pod's component that the simulation runs CPU for, -1 if none. */
function containerOf(pod: PlacedPod, c: Component, pt: PodTables): number {
  if (c === 'application') return pod.kind === 'app' ? pt.nProxies + pod.index : -1;
  // A load generator's container runs its CPU per request (replication/client-cpu.ts) as an application's.
  if (c === 'client') return pod.kind === 'client' ? pt.nProxies + pod.index : -1;
  if (c === 'sidecar' || c === 'waypoint' || c === 'gateway') return pt.podProxy[pod.index]!;
  if (c === 'ztunnel') return pod.node >= 0 ? pt.ztunnelOfNode[pod.node]! : -1;
  return -1;
}

function resourcesOf(pod: PlacedPod, c: Component): ContainerResources {
  const req = pod.requests[c];
  const lim = pod.limits?.[c];
  const r: ContainerResources = {};
  if (req && req.cpu > 0) r.cpuRequest = req.cpu;
  if (req && req.memory > 0) r.memoryRequest = req.memory;
  if (lim?.cpu !== undefined && lim.cpu > 0) r.cpuLimit = lim.cpu;
  if (lim?.memory !== undefined && lim.memory > 0) r.memoryLimit = lim.memory;
  return r;
}

/** Minor number of an Istio version ("1.28" -> 28). */
const minor = (version: string) => Number(version.split('.')[1]);

export function cpuTables(
  s: Scenario,
  placement: Placement,
  pt: PodTables,
  classes: ProxyClass[],
): CpuTables {
  const n = pt.nProxies + pt.nPods;
  const kubelet = s.cluster.kubelet ?? DEFAULT_KUBELET;
  const periodUs = Math.round(kubelet.cpuCFSQuotaPeriod * 1e6);
  const containerWeight = new Float64Array(n).fill(1024);
  const containerLimit = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const proxyWorkers = new Int32Array(pt.nProxies).fill(1);
  const proxyIdleCpu = new Float64Array(pt.nProxies);
  const nodeBackground = new Float64Array(placement.nodes.length);
  const byNode: PlacedPod[][] = placement.nodes.map(() => []);
  for (const pod of placement.pods) if (pod.node >= 0) byNode[pod.node]!.push(pod);

  // Weights from the cgroup tree the kubelet builds on each node; quotas from each container's limit.
  // A pod that starts later (standby, or Pending at the start) gets the weights it will have wherever it lands:
  // a Burstable or Guaranteed pod's shares are its own requests' (flatWeights), whatever its neighbours;
  // ASSUMPTION: a BestEffort one is weighed as if it were the only BestEffort pod on its node.
  const unplaced = placement.pods.filter(startsLater).map((pod) => [pod]);
  [...byNode, ...unplaced].forEach((pods) => {
    const comps = pods.map((pod) => (Object.keys({ ...pod.requests, ...pod.limits }) as Component[]).sort());
    const weights = flatWeights(
      pods.map((pod, i) => ({ containers: comps[i]!.map((c) => resourcesOf(pod, c)) })),
    );
    pods.forEach((pod, i) => {
      comps[i]!.forEach((c, j) => {
        const id = containerOf(pod, c, pt);
        if (id < 0) return;
        containerWeight[id] = Math.max(weights[i]![j]!, 1e-3);
        if (kubelet.cpuCFSQuota) containerLimit[id] = containerCfs(resourcesOf(pod, c), periodUs).limitCores;
      });
    });
  });

  const mesh = s.mesh;
  const pushes = mesh.istiod.configChangesPerSecond;
  const objectPushes = mesh.istiod.configObjectChangesPerSecond;
  const idle = withIdleDefaults(mesh.idle);
  const churnShare = new Map<string, number>();
  for (let p = 0; p < pt.nProxies; p++) {
    const pod = placement.pods[pt.proxyPod[p]!]!;
    // A standby pod (an HPA's, not yet placed) derives its workers on the first node its nodeSelector and
    // tolerations allow (ASSUMPTION: those nodes are alike) and adds no background CPU until it runs.
    const standby = pt.proxyNode[p]! < 0;
    const node = standby
      ? (placement.nodes.find((n) => selectionFailure(n, pod) === null) ?? placement.nodes[0]!)
      : placement.nodes[pt.proxyNode[p]!]!;
    const cls = pt.proxyClass[p]!;
    const component = classes[cls]!.component;
    const res = resourcesOf(pod, component);
    const nodeAllocatableCores = node.allocatable.cpu;
    if (cls === ZTUNNEL) {
      proxyWorkers[p] = ztunnelWorkers({
        ...(mesh.ztunnel.workers !== undefined && { concurrency: mesh.ztunnel.workers }),
        ...(res.cpuLimit !== undefined && { cpuLimitCores: res.cpuLimit }),
        ...(res.cpuRequest !== undefined && { cpuRequestCores: res.cpuRequest }),
        nodeAllocatableCores,
        version: minor(mesh.version),
      });
      proxyIdleCpu[p] = ztunnelIdleCpu(0, pushes, idle);
    } else {
      // The gateway derives its workers as any Envoy does (its chart's 2000m limit gives 2).
      const configured =
        cls === WAYPOINT
          ? (s.waypoints.find((x) => `${x.namespace}/${x.name}` === pod.owner)?.workers ??
            mesh.waypoint.defaults.workers)
          : cls === GATEWAY
            ? mesh.ingressGateway.workers
            : mesh.sidecar.workers;
      // A sidecar's pod may set its own (proxy.istio.io/config), applied over the mesh's.
      const own = cls === SIDECAR ? pod.sidecarWorkers : undefined;
      proxyWorkers[p] = envoyWorkers({
        ...((configured !== undefined || own !== undefined) && {
          concurrency: {
            ...(configured !== undefined && { meshDefault: configured }),
            ...(own !== undefined && { annotation: own }),
          },
        }),
        ...(res.cpuLimit !== undefined && { cpuLimitCores: res.cpuLimit }),
        nodeAllocatableCores,
        nodeLogicalCores: Math.max(1, Math.round(node.capacity.cpu)),
      });
      const config = configSize(
        s,
        placement,
        cls === SIDECAR ? 'sidecar' : 'waypoint',
        pod.owner,
        pt.proxyNode[p]!,
      );
      // A scoped sidecar applies only the changes that concern what it sees (mesh/churn-share.ts).
      let share = 1;
      if (cls === SIDECAR) {
        share = churnShare.get(pod.owner) ?? sidecarChurnShare(s, pod.owner);
        churnShare.set(pod.owner, share);
      }
      // A routing or policy object's change is a full push, to every waypoint and gateway too.
      proxyIdleCpu[p] = envoyIdleCpu(config, pushes * share, idle, objectPushes * share);
    }
    if (!standby) nodeBackground[pt.proxyNode[p]!]! += proxyIdleCpu[p]!;
  }
  const onNode = podsPerNode(placement);
  for (const pod of placement.pods) {
    const agent = pod.node >= 0 ? nodeAgentUsage(pod, s.mesh, onNode) : undefined;
    if (agent) nodeBackground[pod.node]! += agent.cpu;
    // A platform DaemonSet's pod uses its CPU steadily beside the traffic (it serves none simulated).
    if (pod.kind === 'daemon' && pod.node >= 0) nodeBackground[pod.node]! += pod.usage?.cpu ?? 0;
  }
  const nodeCores = Float64Array.from(placement.nodes, (node, i) => {
    const all = Math.max(node.allocatable.cpu, 1e-3);
    return Math.max(all * MIN_CORE_SHARE, all - nodeBackground[i]!);
  });
  const nodeSlice = nodeSlices(s, placement);
  // ASSUMPTION: a node's CFS periods start at its boot time modulo the period (the kernel moves each
  // cgroup's period timer forward from zero by whole periods: kernel/sched/fair.c start_cfs_bandwidth),
  // and boot times are unrelated: meshsim spreads the nodes' offsets evenly (golden-ratio sequence).
  const quotaPeriod = periodUs / 1e6;
  const nodeQuotaOrigin = Float64Array.from(placement.nodes, (_, i) => ((i * GOLDEN) % 1) * quotaPeriod);
  return {
    containerWeight,
    containerLimit,
    quotaPeriod,
    nodeQuotaOrigin,
    proxyWorkers,
    proxyIdleCpu,
    nodeBackground,
    nodeCores,
    nodeSlice,
  };
}
