// Each proxy's memory before it holds any connection (its base and the configuration it is sent), and
// its container's memory limit. A proxy whose configuration alone needs more than its limit is
// OOM-killed as it loads it, and again after every restart (the kernel kills a container above its
// memory.max: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/, "if a
// container ... exceeds its memory limit ... the kernel may kill it"; the kubelet restarts it after
// 10 s, doubling to 300 s, as CrashLoopBackOff: kubernetes/kubernetes pkg/kubelet/kubelet.go
// backOffPeriod and MaxContainerBackOff, v1.31). So it never serves: its pod is never ready and
// whatever goes through it is refused, as with Istio's unscoped sidecars in a mesh of thousands of
// services under the chart's 1Gi limit. One that fits takes connections until they push it over its
// limit (proxyOpenLimit): it is then OOM-killed and restarted in its pod (replication/oom-kills.ts).
import type { Placement } from '../../cluster/index.ts';
import { configSize, type ProxyClass, proxyMemory, withIdleDefaults, ZTUNNEL } from '../../mesh/index.ts';
import type { Scenario } from '../../scenario/index.ts';
import type { MemoryTables, PodTables, World } from './types.ts';

export function memoryTables(
  s: Scenario,
  placement: Placement,
  pt: PodTables,
  classes: ProxyClass[],
): MemoryTables {
  const n = pt.nProxies;
  const proxyConfigMemory = new Float64Array(n);
  const proxyStartMemory = new Float64Array(n);
  const proxyMemoryLimit = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const proxyCrashLoop = new Uint8Array(n);
  const proxyOpenLimit = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  // ztunnel also holds listeners and a certificate for each captured pod on its own node (mesh/idle.ts).
  const perLocal = withIdleDefaults(s.mesh.idle).ztunnelMemoryPerLocalWorkload;
  const captured = new Float64Array(placement.nodes.length);
  for (const pod of placement.pods) if (pod.captured && pod.node >= 0) captured[pod.node]!++;
  for (let p = 0; p < n; p++) {
    const cls = classes[pt.proxyClass[p]!]!;
    const pod = placement.pods[pt.proxyPod[p]!]!;
    const node = pt.proxyNode[p]!;
    proxyConfigMemory[p] = proxyMemory(cls.cost, configSize(s, placement, cls.name, pod.owner, node), 0);
    const limit = pod.limits?.[cls.component]?.memory;
    if (limit !== undefined && limit > 0) proxyMemoryLimit[p] = limit;
    const local = pt.proxyClass[p] === ZTUNNEL && node >= 0 ? perLocal * captured[node]! : 0;
    const fixed = proxyConfigMemory[p]! + local;
    proxyStartMemory[p] = fixed;
    proxyCrashLoop[p] = fixed > proxyMemoryLimit[p]! ? 1 : 0;
    const perConnection = cls.cost.memoryPerConnection;
    if (proxyCrashLoop[p] === 0 && perConnection > 0 && proxyMemoryLimit[p]! < Number.POSITIVE_INFINITY)
      proxyOpenLimit[p] = (proxyMemoryLimit[p]! - fixed) / perConnection;
  }
  return {
    proxyConfigMemory,
    proxyStartMemory,
    proxyMemoryLimit,
    proxyCrashLoop,
    proxyOpenLimit,
    ztunnelMemoryPerLocal: perLocal,
  };
}

/**
 * Bytes running proxy `px` holds with `open` connections: its configuration, its connections and, for a
 * ztunnel, what each of the `captured` pods on its node needs.
 */
export function proxyMemoryUse(
  w: Pick<World, 'classes' | 'proxyClass' | 'proxyConfigMemory' | 'ztunnelMemoryPerLocal'>,
  px: number,
  open: number,
  captured: number,
): number {
  const cls = w.proxyClass[px]!;
  const local = cls === ZTUNNEL ? w.ztunnelMemoryPerLocal * captured : 0;
  return w.proxyConfigMemory[px]! + w.classes[cls]!.cost.memoryPerConnection * open + local;
}
