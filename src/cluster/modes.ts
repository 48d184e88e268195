import type {
  Architecture,
  DaemonSet,
  DataplaneMode,
  EntryPoint,
  Scenario,
  Service,
} from '../scenario/types.ts';

/** How one pod takes part in the mesh. */
export interface Dataplane {
  mode: DataplaneMode;
  hasSidecar: boolean;
  captured: boolean;
}

/**
 * The data plane of each namespace once `arch` is applied. 'sidecar' and 'ambient' convert every meshed
 * namespace wholesale, so the two are compared on the same set of meshed workloads; a namespace labelled
 * out of the mesh stays out under every architecture.
 */
export function resolveModes(s: Scenario, arch: Architecture): Map<string, DataplaneMode> {
  const modes = new Map<string, DataplaneMode>();
  for (const ns of s.namespaces) modes.set(ns.name, namespaceMode(ns.mode, arch));
  return modes;
}

function namespaceMode(labelled: DataplaneMode, arch: Architecture): DataplaneMode {
  if (arch === 'as-labelled') return labelled;
  if (arch === 'none' || labelled === 'none') return 'none';
  return arch;
}

function dataplane(hasSidecar: boolean, captured: boolean): Dataplane {
  return { mode: hasSidecar ? 'sidecar' : captured ? 'ambient' : 'none', hasSidecar, captured };
}

/**
 * Pod `ordinal` of `svc`. Only 'as-labelled' keeps sidecars in an ambient namespace (a migration caught
 * half-way: the first `sidecarPods` pods not yet restarted); ztunnel skips pods that carry a sidecar, as
 * Istio does, so a pod is never proxied twice. `inject: false` pods in a sidecar namespace are unmeshed.
 */
export function serviceDataplane(
  svc: Service,
  ordinal: number,
  arch: Architecture,
  modes: ReadonlyMap<string, DataplaneMode>,
): Dataplane {
  const mode = modes.get(svc.namespace) ?? 'none';
  const hasSidecar =
    svc.inject &&
    (mode === 'sidecar' || (arch === 'as-labelled' && mode === 'ambient' && ordinal < svc.sidecarPods));
  return dataplane(hasSidecar, mode === 'ambient' && !hasSidecar);
}

/**
 * A platform DaemonSet's pods: as its namespace under `arch`, but never in the host's network: the
 * injector skips such a pod (istio/istio 1.28.0 pkg/kube/inject/inject.go injectRequired: "Skip injection
 * when host networking is enabled"), and ambient redirection works inside the pod's own network namespace
 * (https://istio.io/latest/docs/ambient/architecture/traffic-redirection/), which it has none of (istiod
 * marks it HOST_NETWORK: pilot/pkg/serviceregistry/kube/controller/ambient/workloads.go). Nor in
 * kube-system, which the injector ignores (pkg/kube/inject/initializer.go IgnoredNamespaces) and istio-cni
 * excludes (manifests/charts/istio-cni/values.yaml excludeNamespaces: [kube-system]).
 */
export function daemonDataplane(ds: DaemonSet, modes: ReadonlyMap<string, DataplaneMode>): Dataplane {
  if (ds.hostNetwork || ds.namespace === 'kube-system') return dataplane(false, false);
  const mode = modes.get(ds.namespace) ?? 'none';
  const hasSidecar = ds.inject && mode === 'sidecar';
  return dataplane(hasSidecar, mode === 'ambient');
}

/**
 * Load-generator pods of an entry point. 'same-as-target' follows the target namespace under `arch`, so a
 * client of an unmeshed service stays unmeshed in every architecture; an explicit 'sidecar' or 'ambient'
 * is honoured literally only as labelled, and otherwise takes the architecture being compared.
 */
export function clientDataplane(
  s: Scenario,
  ep: EntryPoint,
  arch: Architecture,
  modes: ReadonlyMap<string, DataplaneMode>,
): Dataplane {
  const mode = clientMode(s, ep, arch, modes);
  return dataplane(mode === 'sidecar', mode === 'ambient');
}

function clientMode(
  s: Scenario,
  ep: EntryPoint,
  arch: Architecture,
  modes: ReadonlyMap<string, DataplaneMode>,
): DataplaneMode {
  if (ep.clientMode === 'none' || arch === 'none') return 'none';
  if (ep.clientMode === 'same-as-target') return modes.get(targetNamespace(s, ep.to)) ?? 'none';
  return arch === 'as-labelled' ? ep.clientMode : arch;
}

function targetNamespace(s: Scenario, key: string): string {
  const svc = s.services.find((x) => x.key === key);
  return svc ? svc.namespace : key.slice(0, Math.max(0, key.indexOf('/')));
}
