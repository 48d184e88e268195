// Entry points that reach the cluster through an ingress Gateway go through the scenario's ingress gateway
// (`via: ingress`, mesh.ingressGateway) when istiod deploys that Gateway's proxy: its Deployment's name,
// namespace, replicas and resources are the gateway's.
import { type Json, obj, str } from './fields.ts';
import { importHpa } from './hpa.ts';
import type { Ingress } from './ingresses.ts';
import type { Inventory } from './inventory.ts';
import type { LoadClient } from './loadgen.ts';
import { describe, namespaceOf, where } from './manifest.ts';
import { resourceSpec } from './mesh-components.ts';
import type { Notes, Path } from './notes.ts';
import { hostKey } from './routing.ts';

/**
 * Controller of Istio's managed Gateways, and the class istiod registers for it (istio/istio 1.28.0
 * pilot/pkg/features/pilot.go PILOT_GATEWAY_API_CONTROLLER_NAME, PILOT_GATEWAY_API_DEFAULT_GATEWAYCLASS_NAME;
 * deploymentcontroller.go getBuiltinClasses).
 */
const ISTIO_CONTROLLER = 'istio.io/gateway-controller';
const ISTIO_CLASS = 'istio';

/** Whether istiod programs the Gateway's Envoy (and, for the Gateway API, deploys it). */
function istioManaged(inv: Inventory, g: Ingress): boolean {
  if (g.api === 'istio' || g.gatewayClass === ISTIO_CLASS) return true;
  return inv
    .of('GatewayClass')
    .some((c) => c.name === g.gatewayClass && str(obj(c.body.spec).controllerName) === ISTIO_CONTROLLER);
}

/** The Gateway an entry's requests come through, and whether its client's URL says https. */
export interface EntryIngress {
  gateway: Ingress;
  /** The load generator's URL scheme is https (undefined: no URL). */
  https?: boolean;
}

/**
 * The Gateway each entry's requests come through: its load generator's URL names it, or, when the entries
 * are the import's defaults (`defaulted`: no traffic in the manifests or the --calls file), the entry is
 * one of its backends.
 */
export function entryIngresses(
  traffic: readonly Json[],
  clients: readonly LoadClient[],
  ingresses: readonly Ingress[],
  alias: ReadonlyMap<string, string>,
  defaulted: boolean,
): Array<EntryIngress | undefined> {
  return traffic.map((t) => {
    const c = clients.find((x) => x.service.name === str(t.name));
    if (c?.via) {
      const gateway = ingresses.find((g) => `${g.namespace}/${g.name}` === c.via);
      return gateway ? { gateway, https: /^https:/i.test(c.gen.url) } : undefined;
    }
    if (!defaulted) return undefined;
    const to = str(t.to) ?? '';
    const key = to.includes('/') ? to : hostKey(to, 'default');
    const gateway = ingresses.find((g) => g.backends.some((b) => (alias.get(b) ?? b) === key));
    return gateway ? { gateway } : undefined;
  });
}

/**
 * Sends the entries whose requests come through an ingress Gateway (`vias[i]`, parallel to `traffic`)
 * through the scenario's ingress gateway: the first Gateway istiod serves is the one (returned), its
 * entries say `via: ingress` unless they say otherwise. The scenario has one ingress gateway, so entries
 * of a second one, and of Gateways another controller serves (a cloud load balancer, whose cost meshsim
 * does not model), go straight to their backend, as the notes say.
 */
export function routeThroughIngress(
  traffic: Json[],
  vias: ReadonlyArray<EntryIngress | undefined>,
  inv: Inventory,
  notes: Notes,
): Ingress | undefined {
  const chosen = vias.find((v) => v !== undefined && istioManaged(inv, v.gateway))?.gateway;
  traffic.forEach((t, i) => {
    const g = vias[i]?.gateway;
    if (!g) return;
    const path = ['traffic', i];
    const gw = `${describe(g.manifest)} (${where(g.manifest.source)})`;
    if (!istioManaged(inv, g))
      notes.before(
        path,
        `through ${gw}, class ${g.gatewayClass}, which istiod does not serve: its proxy is not modelled, requests go straight to the backend`,
      );
    else if (g !== chosen)
      notes.before(
        path,
        `through ${gw}: a scenario has one ingress gateway (${chosen!.namespace}/${chosen!.name}'s), so this entry goes straight to the backend`,
      );
    else if (t.via === undefined) {
      t.via = 'ingress';
      notes.inline([...path, 'via'], `through ${gw}`);
      clientTls(t, path, vias[i]!, notes);
    }
  });
  return chosen;
}

/**
 * Whether the entry's clients talk TLS the gateway terminates (`tls`): as their URL's scheme says, or,
 * without one, when every listener of the Gateway terminates TLS.
 */
function clientTls(t: Json, path: Path, v: EntryIngress, notes: Notes): void {
  if (t.tls !== undefined) return;
  const ends = v.gateway.terminatesTls;
  if (v.https === true && ends === 'none')
    notes.before(
      path,
      `its URL is https and ${describe(v.gateway.manifest)} passes TLS through: the application's TLS is not modelled`,
    );
  const tls = v.https === undefined ? ends === 'all' : v.https && ends !== 'none';
  if (!tls) return;
  t.tls = true;
  notes.inline(
    [...path, 'tls'],
    v.https
      ? 'the load generator sends https; the gateway terminates it'
      : "the gateway's listeners terminate TLS",
  );
}

/**
 * mesh.ingressGateway from the chosen Gateway's Deployment (unless the --calls file gives `mesh`,
 * `meshGiven`): its name and namespace, and its replicas and resources where the manifests hold it.
 */
export function ingressDeployment(
  raw: Json,
  chosen: Ingress,
  inv: Inventory,
  meshGiven: boolean,
  notes: Notes,
): void {
  if (meshGiven) {
    notes.header.push(
      `${describe(chosen.manifest)} is the entry points' ingress gateway; mesh comes from the --calls file, so its ingressGateway (or the default) describes it`,
    );
    return;
  }
  const mesh = obj(raw.mesh);
  raw.mesh = mesh;
  const gateway: Json = { ...chosen.deployment };
  mesh.ingressGateway = gateway;
  const d = chosen.workload;
  const at = ['mesh', 'ingressGateway'];
  if (!d && chosen.api === 'gateway') {
    notes.before(
      at,
      `the Deployment istiod generates for ${describe(chosen.manifest)} (${where(chosen.manifest.source)}); ` +
        `replicas and resources: meshsim's defaults, those of istiod's gateway template (assumed; the Deployment is not in the manifests)`,
    );
  } else if (!d) {
    notes.before(
      at,
      `assumed: istioctl's default ingress gateway for ${describe(chosen.manifest)} (${where(chosen.manifest.source)}), ` +
        `no Deployment in the manifests has the pod labels its selector names; replicas and resources: meshsim's defaults`,
    );
  } else {
    gateway.replicas = d.replicas ?? 1;
    const res = resourceSpec(d);
    if (res) gateway.resources = res;
    notes.before(
      at,
      `${describe(chosen.manifest)} (${where(chosen.manifest.source)}); replicas and resources from Deployment ${d.namespace}/${d.name} (${where(d.manifest.source)})`,
    );
  }
  const hpa = inv
    .of('HorizontalPodAutoscaler')
    .find(
      (h) =>
        namespaceOf(h) === chosen.deployment.namespace &&
        str(obj(obj(h.body.spec).scaleTargetRef).name) === chosen.deployment.name,
    );
  if (!hpa) return;
  const imported = importHpa(hpa.body, true);
  if (!imported.autoscaling) {
    notes.before(
      at,
      `read, not representable: ${describe(hpa)} (${where(hpa.source)}) scales the gateway (${imported.dropped.join('; ')}); its replicas stay fixed`,
    );
    return;
  }
  gateway.autoscaling = imported.autoscaling;
  notes.before(
    at,
    `${describe(hpa)} (${where(hpa.source)}) scales it: imported as autoscaling` +
      (imported.dropped.length > 0 ? `; not modelled: ${imported.dropped.join('; ')}` : ''),
  );
}
