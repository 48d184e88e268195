// Manifests -> a scenario file's contents: the orchestration of the import. Everything read either
// becomes a scenario field or a comment; the result is checked by the scenario loader by the caller.
import { basename } from 'node:path';
import { isTrafficDistribution, ScenarioError, trafficDistributionSince } from '../scenario/index.ts';
import { sizeCluster } from './cluster.ts';
import { daemonSetRequests, importDaemonSets } from './daemon-sets.ts';
import { DEFAULT_ENTRY_RATE } from './defaults.ts';
import { type DestinationRules, destinationRules, ROOT_NAMESPACE } from './destination-rules.ts';
import { applyDisruptionBudget } from './disruption-budgets.ts';
import { emitScenario } from './emit.ts';
import { type Json, obj, objs, str } from './fields.ts';
import { inferCalls, type Proposal } from './infer.ts';
import { entryIngresses, ingressDeployment, routeThroughIngress } from './ingress-gateway.ts';
import { type Ingress, importIngresses } from './ingresses.ts';
import { type Inventory, inventory } from './inventory.ts';
import { applyLoadClient, loadClients } from './loadgen.ts';
import type { Manifest } from './manifest.ts';
import { meshFromComponents, waypointDeployments } from './mesh-components.ts';
import { applyMeshConfig } from './mesh-config.ts';
import { importNamespaces, importWaypoints, serviceMeshLabels } from './mesh-objects.ts';
import { knownNodeLabels, poolsFromNodes } from './nodes.ts';
import { Notes, type Path } from './notes.ts';
import type { Origin } from './origins.ts';
import { matchOverlayServices, OVERLAY_SERVICE_FIELDS, type Overlay } from './overlay.ts';
import { applyMeshMtls } from './peer-authentication.ts';
import { applyWorkloadPolicies, policyNotes } from './policies.ts';
import { serviceProtocol } from './protocol.ts';
import { applyRoute, gatewayRouteInfo, hostKey, routeInfo } from './routing.ts';
import { applyHeadless, applyTrafficPolicies } from './service-address.ts';
import { serviceFields } from './service-fields.ts';
import { groupServices, type ServiceSet } from './services.ts';
import { applySubsetPolicies } from './subset-policies.ts';
import { applyVersions } from './versions.ts';

export interface ImportOptions {
  /** Files or directories read, for the header. */
  sources: readonly string[];
  name?: string;
  overlay?: Overlay;
  inferCalls?: boolean;
}

export interface Imported {
  /** The scenario file's text, comments included. */
  text: string;
  raw: Json;
  warnings: string[];
  inventory: Inventory;
  /** Scenario paths whose values came from the overlay. */
  origins: Origin[];
}

const DNS_LABEL_MAX = 63;

function dnsLabel(s: string): string {
  const v = s
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, DNS_LABEL_MAX)
    .replace(/-+$/, '');
  return v || 'imported';
}

/** A call's or entry point's target as `namespace/name`, resolved relative to the caller's namespace. */
function targetKey(to: string, ns: string): string {
  return to.includes('/') ? to : hostKey(to, ns);
}

function applyProtocol(
  entry: Json,
  path: Array<string | number>,
  set: ServiceSet,
  key: string,
  notes: Notes,
): void {
  const kube = set.services.find((s) => s.key === key)?.kube;
  const p = kube ? serviceProtocol(kube) : undefined;
  if (!p || entry.protocol !== undefined) return;
  entry.protocol = p.protocol;
  notes.inline([...path, 'protocol'], `from the ${p.why} (Istio protocol selection)`);
}

function defaultTraffic(
  set: ServiceSet,
  services: Json[],
  ingresses: readonly Ingress[],
  notes: Notes,
): Json[] {
  const called = new Set<string>();
  for (const s of services)
    for (const c of objs(s.calls))
      called.add(set.alias.get(targetKey(str(c.to) ?? '', str(s.namespace) ?? 'default')) ?? '');
  const ingressTargets = ingresses.flatMap((g) => g.backends.map((b) => set.alias.get(b) ?? b));
  const served = set.services.filter((s) => s.kube);
  let targets = [...new Set(ingressTargets)].filter((k) => set.services.some((s) => s.key === k));
  if (targets.length === 0) targets = served.filter((s) => !called.has(s.key)).map((s) => s.key);
  if (targets.length === 0) targets = set.services.slice(0, 1).map((s) => s.key);
  return targets.map((key, i) => {
    const [ns, name] = key.split('/') as [string, string];
    notes.inline(
      ['traffic', i, 'rate'],
      `assumed: no --calls traffic; ${ingressTargets.includes(key) ? 'a backend of an ingress gateway' : 'a service nobody calls'}`,
    );
    return { name: dnsLabel(`to-${name}`), to: `${name}.${ns}`, rate: DEFAULT_ENTRY_RATE };
  });
}

function proposalComments(proposals: readonly Proposal[], set: ServiceSet, notes: Notes): void {
  const index = new Map(set.services.map((s, i) => [s.key, i]));
  for (const p of proposals) {
    const i = index.get(p.from);
    if (i === undefined) continue;
    const [ns, name] = p.to.split('/') as [string, string];
    const via = p.viaIngress ? ` via ingress ${p.viaIngress}` : '';
    const caller = set.services[i]!;
    // A workload no Service selects only sends: its calls are where traffic comes from (a load generator).
    const proposal = caller.kube
      ? `calls: [{ to: ${name}.${ns} }]`
      : `traffic: [{ name: ${caller.name}, to: ${name}.${ns}, clients: ${caller.workloads[0]?.replicas ?? 1} }]`;
    notes.before(
      ['services', i],
      `--infer-calls proposes (not applied; confirm it in a --calls file): ${proposal}  # ${p.evidence}${via}`,
    );
  }
}

/** Overlay versions merged by name into the imported ones (a version only the overlay names is added). */
function mergeVersions(into: Json[], from: Json[]): void {
  for (const v of from) {
    const same = into.find((x) => x.name === v.name);
    if (same) Object.assign(same, structuredClone(v));
    else into.push(structuredClone(v));
  }
}

/** Route notes a split written as version weights replaces (routing.ts words them so). */
const SPLIT_NOTE = / splits traffic | routes | defines subsets | subset trafficPolicy /;

export function importScenario(manifests: readonly Manifest[], o: ImportOptions): Imported {
  const inv = inventory(manifests);
  const notes = new Notes();
  const waypoints = importWaypoints(inv, notes);
  const ingresses = importIngresses(inv);
  waypointDeployments(inv, waypoints.raw, notes);
  const grouped = groupServices(inv, notes);
  if (grouped.services.length === 0) {
    const expected = 'at least one Deployment or StatefulSet of an application';
    throw new ScenarioError([
      {
        file: o.sources.join(', '),
        path: '<root>',
        found: 'no workloads',
        expected,
        message: `nothing to simulate: found no workloads, expected ${expected}`,
      },
    ]);
  }
  // Load generators become traffic entries (closedLoop, clientPod) instead of services nobody calls:
  // those the --calls file's traffic names, or without it those whose URL reaches a service.
  const overlayTraffic = o.overlay?.data.traffic === undefined ? undefined : objs(o.overlay.data.traffic);
  const clients = loadClients(grouped, ingresses).filter((c) =>
    overlayTraffic ? overlayTraffic.some((t) => str(t.name) === c.service.name) : c.to !== undefined,
  );
  const apps = grouped.services.filter((x) => !clients.some((c) => c.service === x));
  const set = apps.length > 0 ? { ...grouped, services: apps } : grouped;
  if (apps.length === 0) clients.length = 0;
  const drs = destinationRules(inv, set);
  const routes = routeInfo(inv, set, drs);
  const nodeLabels = knownNodeLabels(inv, o.overlay?.data.cluster);
  const services = set.services.map((s, i) => {
    const path = ['services', i];
    const raw = serviceFields(inv, s, path, notes, nodeLabels);
    const weighted = applyHeadless(s, raw, applyVersions(inv, s, raw, path, notes), path, notes);
    serviceMeshLabels(s.kube?.manifest.labels ?? {}, raw, waypoints, path, notes);
    applyWorkloadPolicies(inv, s, raw, path, notes);
    applyDisruptionBudget(inv, s, set.services, raw, path, notes);
    const policy = routes.get(s.key)?.trafficPolicy;
    if (policy) raw.trafficPolicy = policy;
    applySubsetPolicies(inv, s, raw, path, notes, policy);
    if (policy && Object.keys(policy).length === 0)
      notes.before([...path, 'trafficPolicy'], 'its own DestinationRule sets none: not the mesh-wide one');
    for (const u of routes.get(s.key)?.unrepresented ?? [])
      if (!(weighted && SPLIT_NOTE.test(u))) notes.before(path, `read, not representable: ${u}`);
    applyTrafficPolicies(s, raw, path, notes);
    return raw;
  });
  const extra: Json = {};
  const origins: Origin[] = [];
  if (o.overlay) {
    const { matches } = matchOverlayServices(o.overlay, set.services);
    for (const m of matches) {
      const i = set.services.findIndex((s) => s.name === m.target.name && s.namespace === m.target.namespace);
      for (const k of OVERLAY_SERVICE_FIELDS)
        if (m.entry[k] === undefined) continue;
        else if (k === 'versions' && Array.isArray(services[i]!.versions)) {
          // By name over the versions the manifests give: their calls and service times, say.
          mergeVersions(objs(services[i]!.versions), objs(m.entry.versions));
          origins.push({ at: ['services', i, k], from: ['services', m.index, k] });
        } else {
          services[i]![k] = structuredClone(m.entry[k]);
          origins.push({ at: ['services', i, k], from: ['services', m.index, k] });
        }
      // The overlay's replicas count the whole service: its versions are then one pool.
      if (m.entry.replicas !== undefined && services[i]!.versions !== undefined) {
        delete services[i]!.versions;
        notes.before(['services', i], 'replicas from the --calls file: versions modelled as one pool');
      }
      const at = o.overlay.locate(['services', m.index]);
      notes.before(['services', i], `calls and settings from ${o.overlay.file}:${at.line ?? 1}`);
    }
    for (const [k, v] of Object.entries(o.overlay.data))
      if (k !== 'services') {
        extra[k] = structuredClone(v);
        origins.push({ at: [k], from: [k] });
      }
  }
  services.forEach((s, i) => {
    const ns = str(s.namespace) ?? 'default';
    const lists: Array<[Json[], Path]> = [[objs(s.calls), ['services', i, 'calls']]];
    objs(s.versions).forEach((v, k) => {
      lists.push([objs(v.calls), ['services', i, 'versions', k, 'calls']]);
    });
    for (const [calls, at] of lists)
      calls.forEach((c, j) => {
        const key = targetKey(str(c.to) ?? '', ns);
        const owner = set.alias.get(key);
        if (owner) {
          const [ons, oname] = owner.split('/') as [string, string];
          notes.inline([...at, j, 'to'], `${str(c.to)} is an alias of ${owner}`);
          c.to = `${oname}.${ons}`;
        }
        applyProtocol(c, [...at, j], set, owner ?? key, notes);
        applyRoute(c, [...at, j], routes.get(owner ?? key), notes);
      });
  });
  if (o.inferCalls) proposalComments(inferCalls(set, ingresses), set, notes);
  const defaulted = extra.traffic === undefined && clients.length === 0;
  const traffic =
    extra.traffic !== undefined
      ? objs(extra.traffic)
      : clients.length > 0
        ? clients.map((c) => ({ name: c.service.name, to: `${c.to!.split('/')[1]}.${c.to!.split('/')[0]}` }))
        : defaultTraffic(set, services, ingresses, notes);
  delete extra.traffic;
  const vias = entryIngresses(traffic, clients, ingresses, set.alias, defaulted);
  traffic.forEach((t, i) => {
    const c = clients.find((x) => x.service.name === str(t.name));
    if (c) applyLoadClient(t, c, ['traffic', i], notes);
  });
  const ingress = routeThroughIngress(traffic, vias, inv, notes);
  // The gateway's Envoy is given the routes bound to the gateway, not the mesh's (a VirtualService without
  // `gateways` is the mesh's; istio.io/latest/docs/reference/config/networking/virtual-service/).
  const gatewayRoutes = gatewayRouteInfo(set, ingress?.routes ?? []);
  traffic.forEach((t, i) => {
    const key = targetKey(str(t.to) ?? '', 'default');
    const owner = set.alias.get(key);
    if (owner) {
      const [ons, oname] = owner.split('/') as [string, string];
      t.to = `${oname}.${ons}`;
    }
    applyProtocol(t, ['traffic', i], set, owner ?? key, notes);
    const mesh = routes.get(owner ?? key);
    // What needs L7 at the callee (its routes in a waypoint, L7 authorization) needs it whatever the way in.
    const gw = { unrepresented: [], ...gatewayRoutes.get(owner ?? key), l7: mesh?.l7 ?? [] };
    applyRoute(t, ['traffic', i], t.via === 'ingress' ? gw : mesh, notes);
  });
  policyNotes(inv, notes);
  for (const m of inv.manifests)
    if (m.renamedFrom)
      notes.header.push(
        `${m.kind} ${m.renamedFrom} (${m.source.file}:${m.source.line}) is named ${m.namespace ? `${m.namespace}/` : ''}${m.name} here: scenario names are DNS labels`,
      );
  const usedNs = [
    ...services.map((s) => str(s.namespace) ?? 'default'),
    ...waypoints.raw.map((w) => str(w.namespace) ?? 'default'),
    // load generators run in theirs (clientPod.namespace), meshed as it is labelled
    ...traffic.flatMap((t) => {
      const ns = str(obj((t as Json).clientPod).namespace);
      return ns === undefined ? [] : [ns];
    }),
  ];
  const namespaces = importNamespaces(inv, usedNs, waypoints, notes);
  const graces = [
    ...new Set(
      inv.workloads.flatMap((w) =>
        w.terminationGracePeriodSeconds === undefined ? [] : [w.terminationGracePeriodSeconds],
      ),
    ),
  ];
  const lifecycle =
    graces.length === 1 && extra.lifecycle === undefined
      ? { lifecycle: { terminationGrace: `${graces[0]}s` } }
      : {};
  if (graces.length === 1 && extra.lifecycle === undefined)
    notes.inline(
      ['lifecycle', 'terminationGrace'],
      'every workload that sets terminationGracePeriodSeconds agrees',
    );
  const name = o.name ?? dnsLabel(basename(o.sources[0] ?? 'imported').replace(/\.(ya?ml|json)$/i, ''));
  const raw: Json = {
    apiVersion: 'meshsim/v1alpha1',
    kind: 'Scenario',
    metadata: { name, description: `Imported by meshsim import from ${o.sources.join(', ')}` },
    cluster:
      extra.cluster ??
      poolsFromNodes(inv, notes, selectedLabelKeys(inv)) ??
      sizeCluster(services, notes, traffic, daemonSetRequests(set.daemonSets)),
    namespaces,
    ...(waypoints.raw.length > 0 ? { waypoints: waypoints.raw } : {}),
    services,
    traffic,
    ...lifecycle,
  };
  // The cluster's API server accepted every trafficDistribution its Services set.
  const needed = services
    .map((x) => obj(x).trafficDistribution)
    .map((d) => (typeof d === 'string' && isTrafficDistribution(d) ? trafficDistributionSince(d) : null))
    .filter((v): v is string => v !== null)
    .sort()
    .pop();
  if (needed !== undefined && extra.cluster === undefined) {
    obj(raw.cluster).kubernetesVersion = needed;
    notes.inline(
      ['cluster', 'kubernetesVersion'],
      `a Service sets PreferSameZone or PreferSameNode, values from ${needed} on`,
    );
  }
  const mesh = extra.mesh === undefined ? meshFromComponents(inv, notes) : undefined;
  if (mesh) raw.mesh = mesh;
  if (extra.mesh === undefined) applyMeshConfig(raw, inv, notes);
  if (ingress) ingressDeployment(raw, ingress, inv, extra.mesh !== undefined, notes);
  importDaemonSets(set.daemonSets, raw, nodeLabels, extra.cluster !== undefined, notes);
  applyMeshMtls(raw, inv, extra.mesh !== undefined, notes);
  meshPolicy(raw, drs, extra.mesh !== undefined, notes);
  for (const [k, v] of Object.entries(extra))
    if (!(k in raw) || k === 'metadata') raw[k] = k === 'metadata' ? { ...obj(raw.metadata), ...obj(v) } : v;
  headerSummary(inv, o, notes);
  return { text: emitScenario(raw, notes), raw, warnings: notes.warnings, inventory: inv, origins };
}

/**
 * The root namespace's catch-all DestinationRule as `mesh.trafficPolicy` (unless the --calls file gives
 * `mesh`), and the rules that decide no service, in the header.
 */
function meshPolicy(raw: Json, drs: DestinationRules, given: boolean, notes: Notes): void {
  for (const u of drs.unused) notes.header.push(`read, not used: ${u}`);
  const rule = drs.mesh;
  if (!rule) return;
  if (given) {
    notes.header.push(`read, not used: the mesh-wide DestinationRule (mesh comes from the --calls file)`);
    return;
  }
  if (rule.policy) {
    raw.mesh = { ...obj(raw.mesh), trafficPolicy: rule.policy };
    notes.before(['mesh', 'trafficPolicy'], `the mesh-wide DestinationRule of ${ROOT_NAMESPACE}`);
  }
  for (const n of rule.notes) notes.header.push(`read, not representable: ${n}`);
}

function headerSummary(inv: Inventory, o: ImportOptions, notes: Notes): void {
  const count = (ms: readonly Manifest[]) => {
    const by = new Map<string, number>();
    for (const m of ms) by.set(m.kind, (by.get(m.kind) ?? 0) + 1);
    return [...by]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
  };
  const used = inv.manifests.filter((m) => !inv.ignored.includes(m));
  notes.header.unshift(
    `Imported by \`meshsim import\` from ${o.sources.join(', ')}.`,
    `Read: ${count(used) || 'nothing'}.`,
    `Ignored (kinds meshsim does not use): ${count(inv.ignored) || 'none'}.`,
    `Values marked "assumed" were not in the manifests; lines below say what was read and is not representable.`,
  );
}

/** The node labels the workloads' nodeSelectors and node affinity name: pools from Node objects keep them. */
function selectedLabelKeys(inv: Inventory): Set<string> {
  return new Set(
    inv.workloads.flatMap((w) => [
      ...Object.keys(w.nodeSelector),
      ...[
        ...(w.placement.nodeAffinity?.required ?? []),
        ...(w.placement.nodeAffinity?.preferred ?? []),
      ].flatMap((t) => t.matchExpressions.map((e) => e.key)),
    ]),
  );
}
