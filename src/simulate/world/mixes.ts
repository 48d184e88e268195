// Versions behind one Service and request mixes, as tables: every behaviour a pod can have for a request
// (its service time and calls), each service's versions and weighted split, and the routes of services
// and entry points with their cumulative weights.
import { type Placement, versionIndex } from '../../cluster/index.ts';
import {
  type Call,
  type DistributionSpec,
  definesSubsets,
  type RequestRoute,
  type Scenario,
} from '../../scenario/index.ts';
import { makeDistribution } from '../../traffic/index.ts';
import type { Behaviour, Edge, Mix, MixTables, ServiceRt, VersionRt } from './types.ts';

type AddCall = (name: string, from: number, call: Call) => Edge;

export function mixTables(
  s: Scenario,
  placement: Placement,
  services: ServiceRt[],
  addCall: AddCall,
): MixTables {
  // Behaviour i < services.length is service i's own (the edges edges.ts made from its calls).
  const behaviours: Behaviour[] = services.map((svc, i) => ({
    name: svc.key,
    service: i,
    serviceTime: svc.serviceTime,
    edgeList: svc.edgeList,
  }));
  const add = (name: string, service: number, time: DistributionSpec, calls: Call[]): number => {
    const edgeList = calls.map((c) => addCall(`${name} -> ${c.to}`, service, c));
    for (const e of edgeList) services[service]!.edges.push(e.id);
    behaviours.push({ name, service, serviceTime: makeDistribution(time), edgeList });
    return behaviours.length - 1;
  };
  const mix = (prefix: string, service: number, routes: RequestRoute[]): Mix => ({
    behaviours: Int32Array.from(routes, (r) =>
      add(`${services[service]!.key} [${prefix}${r.name}]`, service, r.serviceTime, r.calls),
    ),
    cum: cumulative(routes.map((r) => r.weight)),
  });

  const versions: VersionRt[] = [];
  const versionSplit: MixTables['versionSplit'] = [];
  const serviceRoutes: MixTables['serviceRoutes'] = [];
  const firstVersion: number[] = [];
  s.services.forEach((svc, i) => {
    firstVersion.push(versions.length);
    for (const v of svc.versions ?? []) {
      // A version that keeps the service's service time and calls behaves as the service does.
      const own = v.calls !== svc.calls || JSON.stringify(v.serviceTime) !== JSON.stringify(svc.serviceTime);
      const b = own ? add(`${svc.key} (${v.name})`, i, v.serviceTime, v.calls) : i;
      versions.push({ service: i, name: v.name, behaviour: b });
    }
    // A weighted split routes to subsets (scenario/destination-rule.ts), each Envoy's clusters of its own.
    versionSplit.push(
      definesSubsets(svc)
        ? { first: firstVersion[i]!, cum: cumulative(svc.versions!.map((v) => v.weight!)) }
        : null,
    );
    serviceRoutes.push(svc.routes ? mix('', i, svc.routes) : null);
  });
  const entryRoutes = s.traffic.map((ep) => {
    const to = s.services.findIndex((x) => x.key === ep.to);
    return ep.routes && to >= 0 ? mix(`${ep.name}/`, to, ep.routes) : null;
  });

  const podVersion = new Int32Array(placement.pods.length).fill(-1);
  const index = new Map(s.services.map((svc, i) => [svc.key, i]));
  for (const p of placement.pods) {
    if (p.kind !== 'app') continue;
    const i = index.get(p.owner);
    const list = i === undefined ? undefined : s.services[i]!.versions;
    if (list) podVersion[p.index] = firstVersion[i!]! + versionIndex(list, p.ordinal);
  }
  return { behaviours, versions, podVersion, versionSplit, serviceRoutes, entryRoutes };
}

/** Cumulative shares of `weights` (the last exactly 1; all 0 when they sum to 0). */
function cumulative(weights: number[]): Float64Array {
  const total = weights.reduce((a, x) => a + x, 0);
  const out = new Float64Array(weights.length);
  let acc = 0;
  weights.forEach((x, i) => {
    acc += x;
    out[i] = total > 0 ? acc / total : 0;
  });
  if (total > 0) out[weights.length - 1] = 1;
  return out;
}
