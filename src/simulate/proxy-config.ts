// How much configuration each proxy holds (DESIGN.md section 3): an unscoped sidecar sees every service
// of the mesh and its endpoints; a scoped one only its callees; ztunnel every workload and service of
// the cluster; a waypoint the services bound to it.
import type { ProxyConfigSize } from '../mesh/index.ts';
import type { World } from './world.ts';

const cache = new WeakMap<World, Map<string, ProxyConfigSize>>();

export function proxyConfig(w: World, proxy: number): ProxyConfigSize {
  let byKey = cache.get(w);
  if (!byKey) {
    byKey = new Map();
    cache.set(w, byKey);
  }
  const pod = w.placement.pods[w.proxyPod[proxy]!]!;
  const cls = w.classes[w.proxyClass[proxy]!]!.name;
  // Proxies of one owner hold the same configuration: compute it once per owner.
  const svc = w.scenario.services.find((x) => x.key === pod.owner);
  const scope = svc?.sidecarScope ?? w.scenario.mesh.sidecar.scope;
  const key =
    cls === 'ztunnel'
      ? 'ztunnel'
      : cls === 'sidecar' && scope === 'mesh'
        ? 'sidecar:mesh'
        : `${cls}:${pod.owner}`;
  let size = byKey.get(key);
  if (!size) {
    size = compute(w, cls, pod.owner);
    byKey.set(key, size);
  }
  return size;
}

function compute(w: World, cls: 'sidecar' | 'ztunnel' | 'waypoint', owner: string): ProxyConfigSize {
  const s = w.scenario;
  const endpointsOf = (keys: Iterable<string>) => {
    let n = 0;
    for (const k of keys) n += w.services[w.serviceIndex.get(k) ?? -1]?.pods.length ?? 0;
    return n;
  };
  const none = { clusters: 0, endpoints: 0, workloads: 0, services: 0 };
  if (cls === 'ztunnel') {
    const workloads = w.placement.pods.filter((p) => p.node >= 0).length;
    return { ...none, workloads, services: s.services.length };
  }
  if (cls === 'waypoint') {
    const [ns, name] = owner.split('/');
    const bound = s.services
      .filter((x) => x.namespace === ns && (x.useWaypoint ?? nsWaypoint(w, x.namespace)) === name)
      .map((x) => x.key);
    return { ...none, clusters: bound.length, endpoints: endpointsOf(bound) };
  }
  const svc = s.services.find((x) => x.key === owner);
  const entry = s.traffic.find((e) => e.name === owner);
  const scope = svc?.sidecarScope ?? s.mesh.sidecar.scope;
  if (scope === 'mesh') {
    const all = s.services.map((x) => x.key);
    return { ...none, clusters: all.length, endpoints: endpointsOf(all) };
  }
  const visible = new Set<string>(svc ? [svc.key, ...svc.calls.map((c) => c.to)] : entry ? [entry.to] : []);
  return { ...none, clusters: visible.size, endpoints: endpointsOf(visible) };
}

function nsWaypoint(w: World, ns: string): string | undefined {
  return w.scenario.namespaces.find((n) => n.name === ns)?.useWaypoint;
}
