// Kubernetes Services and the workloads behind them -> scenario services. A pod belongs to one scenario
// service: the Service that selects the most workloads claims them first, and a Service whose pods are
// all claimed already (reviews-v1 beside reviews) becomes an alias that calls are redirected to.

import { isExportToEntry } from '../scenario/index.ts';
import { type Json, mapSelects } from './fields.ts';
import { istioGatewaySelectors } from './ingresses.ts';
import { type Inventory, type KubeService, podMode, selectedWorkloads } from './inventory.ts';
import { describe, where } from './manifest.ts';
import type { Notes } from './notes.ts';
import { sidecarResourceAnnotations } from './proxy-annotations.ts';
import type { Workload } from './workload.ts';

export interface ImportedService {
  /** `namespace/name`, as the scenario keys services. */
  key: string;
  name: string;
  namespace: string;
  workloads: Workload[];
  kube?: KubeService;
}

export interface ServiceSet {
  services: ImportedService[];
  /** Service key -> the key of the scenario service that holds its pods. */
  alias: Map<string, string>;
  /** The platform's DaemonSets (not Istio's): cluster.daemonSets (daemon-sets.ts). */
  daemonSets: Workload[];
}

/** Labels marking pods Istio itself runs for a Gateway (waypoints and ingress gateways). */
const GATEWAY_POD_LABEL = 'gateway.networking.k8s.io/gateway-name';
/** Istio's own components, which meshsim models itself (src/cluster deploys them per architecture). */
const ISTIO_COMPONENTS = new Set([
  'istiod',
  'ztunnel',
  'istio-cni-node',
  'istio-ingressgateway',
  'istio-egressgateway',
]);

function isMeshComponent(w: Workload, gatewaySelectors: ReadonlyArray<Record<string, string>>): boolean {
  return (
    GATEWAY_POD_LABEL in w.podLabels ||
    ISTIO_COMPONENTS.has(w.name) ||
    gatewaySelectors.some((s) => mapSelects(s, w.podLabels))
  );
}

export function groupServices(inv: Inventory, notes: Notes): ServiceSet {
  const claimed = new Map<Workload, ImportedService>();
  const services: ImportedService[] = [];
  const alias = new Map<string, string>();
  const daemonSets: Workload[] = [];
  const gateways = istioGatewaySelectors(inv);
  const matches = inv.services
    .map((s) => ({
      s,
      ws: selectedWorkloads(inv, s).filter((w) => w.kind !== 'DaemonSet' && !isMeshComponent(w, gateways)),
    }))
    .sort(
      (a, b) =>
        b.ws.length - a.ws.length ||
        a.s.namespace.localeCompare(b.s.namespace) ||
        a.s.name.localeCompare(b.s.name),
    );
  for (const { s, ws } of matches) {
    const key = `${s.namespace}/${s.name}`;
    if (ws.length === 0) {
      notes.header.push(
        `${describe(s.manifest)} (${where(s.manifest.source)}) selects no Deployment or StatefulSet in these manifests: not modelled`,
      );
      continue;
    }
    const free = ws.filter((w) => !claimed.has(w));
    if (free.length === 0) {
      const owner = claimed.get(ws[0]!)!;
      alias.set(key, owner.key);
      notes.header.push(
        `${describe(s.manifest)} (${where(s.manifest.source)}) selects pods of ${owner.key} (${ws.map((w) => w.name).join(', ')}): ` +
          `an alias of that service, calls to it go there`,
      );
      continue;
    }
    const imported: ImportedService = { key, name: s.name, namespace: s.namespace, workloads: free, kube: s };
    for (const w of free) claimed.set(w, imported);
    services.push(imported);
  }
  for (const w of inv.workloads) {
    if (claimed.has(w)) continue;
    if (isMeshComponent(w, gateways)) {
      notes.header.push(
        `${w.kind} ${w.namespace}/${w.name} (${where(w.manifest.source)}) is part of Istio (a control-plane, node or gateway ` +
          `component): meshsim deploys its own per architecture`,
      );
      continue;
    }
    if (w.kind === 'DaemonSet') {
      daemonSets.push(w);
      continue;
    }
    let name = w.name;
    for (let i = 1; services.some((s) => s.namespace === w.namespace && s.name === name); i++)
      name = `${w.name.slice(0, 55)}-pods${i > 1 ? i : ''}`;
    const imported: ImportedService = {
      key: `${w.namespace}/${name}`,
      name,
      namespace: w.namespace,
      workloads: [w],
    };
    claimed.set(w, imported);
    services.push(imported);
  }
  services.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  return { services, alias, daemonSets };
}

export function cpuText(v: number): string {
  return `${Math.round(v * 1000)}m`;
}

export function memoryText(v: number): string {
  return Number.isInteger(v / 2 ** 20) ? `${v / 2 ** 20}Mi` : `${Math.round(v)}`;
}

/**
 * The annotations a scenario service carries, those that mean something to meshsim: its pods' injection
 * opt-out and its Service's networking.istio.io/exportTo.
 */
export function serviceAnnotations(inv: Inventory, s: ImportedService): Json | undefined {
  const optedOut = s.workloads.some(
    (w) =>
      podMode(inv, w) === 'none' &&
      (w.podAnnotations['sidecar.istio.io/inject'] === 'false' ||
        w.podLabels['sidecar.istio.io/inject'] === 'false'),
  );
  const exportTo = s.kube?.manifest.annotations['networking.istio.io/exportTo'];
  const out: Json = {};
  if (optedOut) out['sidecar.istio.io/inject'] = 'false';
  // Its sidecar's own resources, as the first workload's pods set them (as its resources are taken).
  Object.assign(out, sidecarResourceAnnotations(s.workloads[0]!));
  if (exportTo) {
    // istiod takes every entry as a namespace name without validating it: one no namespace can have
    // exports the service nowhere, which `~` says.
    const valid = exportTo
      .split(',')
      .map((x) => x.trim())
      .filter((x) => isExportToEntry(x));
    out['networking.istio.io/exportTo'] = valid.length > 0 ? valid.join(',') : '~';
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
