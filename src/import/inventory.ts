// The manifests of one import, sorted by what they are. Both the import (to a scenario) and the checks
// read this one view, so a Service, a workload or a namespace's mode means the same thing to both.
import { mapSelects, num, obj, objs, str, stringMap } from './fields.ts';
import type { Manifest } from './manifest.ts';
import { namespaceOf } from './manifest.ts';
import { readWorkload, WORKLOAD_KINDS, type Workload } from './workload.ts';

/** Kinds the import or the checks read; anything else is listed as ignored. */
export const USED_KINDS = [
  'Namespace',
  ...WORKLOAD_KINDS,
  'Service',
  'Gateway',
  'GatewayClass',
  'HTTPRoute',
  'VirtualService',
  'DestinationRule',
  'Sidecar',
  'AuthorizationPolicy',
  'PeerAuthentication',
  'NetworkPolicy',
  'HorizontalPodAutoscaler',
  'PodDisruptionBudget',
  'Node',
  // Read by the checks only: CNI and platform settings.
  'ConfigMap',
  'ResourceQuota',
  'CiliumNetworkPolicy',
  'CiliumClusterwideNetworkPolicy',
  'SecurityGroupPolicy',
] as const;

export interface ServicePort {
  port: number;
  targetPort?: number | string;
  protocol: string;
  appProtocol?: string;
  name?: string;
}

export interface KubeService {
  manifest: Manifest;
  name: string;
  namespace: string;
  selector: Record<string, string>;
  ports: ServicePort[];
  headless: boolean;
  trafficDistribution?: string;
  internalTrafficPolicy?: string;
}

export interface Inventory {
  manifests: Manifest[];
  workloads: Workload[];
  services: KubeService[];
  ignored: Manifest[];
  of(kind: string): Manifest[];
}

export function readService(m: Manifest): KubeService {
  const spec = obj(m.body.spec);
  const td = str(spec.trafficDistribution);
  const itp = str(spec.internalTrafficPolicy);
  return {
    manifest: m,
    name: m.name,
    namespace: namespaceOf(m),
    selector: stringMap(spec.selector),
    ports: objs(spec.ports).flatMap((p) => {
      const port = num(p.port);
      if (port === undefined) return [];
      const target = num(p.targetPort) ?? str(p.targetPort);
      const appProtocol = str(p.appProtocol);
      const name = str(p.name);
      return [
        {
          port,
          protocol: str(p.protocol) ?? 'TCP',
          ...(target !== undefined ? { targetPort: target } : {}),
          ...(appProtocol ? { appProtocol } : {}),
          ...(name ? { name } : {}),
        },
      ];
    }),
    headless: str(spec.clusterIP) === 'None',
    ...(td ? { trafficDistribution: td } : {}),
    ...(itp ? { internalTrafficPolicy: itp } : {}),
  };
}

export function inventory(manifests: readonly Manifest[]): Inventory {
  const used = new Set<string>(USED_KINDS);
  const byKind = new Map<string, Manifest[]>();
  const ignored: Manifest[] = [];
  for (const m of manifests) {
    if (!used.has(m.kind)) {
      ignored.push(m);
      continue;
    }
    const list = byKind.get(m.kind) ?? [];
    list.push(m);
    byKind.set(m.kind, list);
  }
  const of = (kind: string) => byKind.get(kind) ?? [];
  return {
    manifests: [...manifests],
    workloads: WORKLOAD_KINDS.flatMap((k) => of(k)).map(readWorkload),
    services: of('Service').map(readService),
    ignored,
    of,
  };
}

/** The workloads whose pods a Service selects. */
export function selectedWorkloads(inv: Inventory, s: KubeService): Workload[] {
  return inv.workloads.filter((w) => w.namespace === s.namespace && mapSelects(s.selector, w.podLabels));
}

export function namespaceLabels(inv: Inventory, ns: string): Record<string, string> {
  return inv.of('Namespace').find((m) => m.name === ns)?.labels ?? {};
}

export type PodMode = 'none' | 'sidecar' | 'ambient';

/**
 * How a workload's pods join the mesh, as Istio decides it: a pod label istio.io/dataplane-mode=none opts
 * out of ambient, sidecar.istio.io/inject=false opts out of injection (istio.io/latest/docs/ambient/usage/
 * add-workloads/ and docs/setup/additional-setup/sidecar-injection/#controlling-the-injection-policy).
 */
export function podMode(inv: Inventory, w: Workload): PodMode {
  const ns = namespaceLabels(inv, w.namespace);
  const pod = w.podLabels;
  const injectOff =
    pod['sidecar.istio.io/inject'] === 'false' || w.podAnnotations['sidecar.istio.io/inject'] === 'false';
  const injectOn = pod['sidecar.istio.io/inject'] === 'true';
  // A revision label (istio.io/rev) injects like istio-injection=enabled
  // (istio.io/latest/docs/setup/upgrade/canary/#data-plane).
  const nsInject =
    ns['istio-injection'] === 'enabled' ||
    (ns['istio.io/rev'] !== undefined && ns['istio-injection'] !== 'disabled');
  if (!injectOff && (nsInject || injectOn)) return 'sidecar';
  const ambient = (pod['istio.io/dataplane-mode'] ?? ns['istio.io/dataplane-mode']) === 'ambient';
  return ambient ? 'ambient' : 'none';
}

/** istio.io/use-waypoint of a Service, else of its namespace; `none` opts out. */
export function serviceWaypoint(inv: Inventory, s: KubeService): string | undefined {
  const w =
    s.manifest.labels['istio.io/use-waypoint'] ?? namespaceLabels(inv, s.namespace)['istio.io/use-waypoint'];
  return w && w !== 'none' ? w : undefined;
}
