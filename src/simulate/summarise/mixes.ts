// Results of versions behind services and request mixes: calls served per version and per route, entry
// routes' latency, and the weighted splits no proxy on the path could honour.
import type { World } from '../world/index.ts';
import { countEstimate, latency } from './estimate.ts';
import type { RepMeasure } from './measure.ts';
import type { MixesResult } from './results.ts';

export function mixesResult(w: World, reps: RepMeasure[]): MixesResult | undefined {
  const s = w.scenario;
  const any =
    s.services.some((x) => x.versions || x.routes) || s.traffic.some((ep) => ep.routes !== undefined);
  if (!any) return undefined;
  const count = (f: (r: RepMeasure) => number) => countEstimate(reps.map(f));

  const versions: MixesResult['versions'] = w.versions.map((v, i) => {
    const spec = s.services[v.service]!.versions!.find((x) => x.name === v.name)!;
    return {
      service: w.services[v.service]!.key,
      version: v.name,
      replicas: spec.replicas,
      weight: spec.weight ?? null,
      served: count((r) => r.mixes.versionCalls[i]!),
    };
  });

  const splitUnhonoured: MixesResult['splitUnhonoured'] = [];
  w.versionSplit.forEach((split, svc) => {
    if (!split) return;
    const edges = w.edges.filter((e) => e.to === svc);
    splitUnhonoured.push({
      service: w.services[svc]!.key,
      calls: count((r) => edges.reduce((a, e) => a + r.mixes.splitUnhonoured[e.id]!, 0)),
      edges: edges.map((e) => ({ edge: e.name, calls: count((r) => r.mixes.splitUnhonoured[e.id]!) })),
    });
  });

  const routes: MixesResult['routes'] = [];
  s.services.forEach((svc, i) => {
    const m = w.serviceRoutes[i];
    svc.routes?.forEach((route, j) => {
      const b = m!.behaviours[j]!;
      routes.push({
        owner: svc.key,
        route: route.name,
        weight: route.weight,
        served: count((r) => r.mixes.behaviourCalls[b]!),
      });
    });
  });
  s.traffic.forEach((ep, i) => {
    const m = w.entryRoutes[i];
    ep.routes?.forEach((route, j) => {
      const b = m!.behaviours[j]!;
      // Where the routes sit in each replication's flat list of entry-route histograms.
      const at = w.entryRoutes.slice(0, i).reduce((n, x) => n + (x ? x.behaviours.length : 0), 0) + j;
      routes.push({
        owner: `${ep.name} -> ${ep.to}`,
        route: route.name,
        weight: route.weight,
        served: count((r) => r.mixes.behaviourCalls[b]!),
        latency: latency(reps.map((r) => r.mixes.entryRouteHist[at]!)),
      });
    });
  });
  return { versions, splitUnhonoured, routes };
}

/** A warning per service whose weighted split some calls could not honour. */
export function splitWarnings(m: MixesResult | undefined): string[] {
  if (!m) return [];
  return m.splitUnhonoured
    .filter((x) => x.calls.mean > 0)
    .map(
      (x) =>
        `${x.service}: weighted split over its versions not honoured for ${fmt(x.calls.mean)} calls: no Envoy on their path routes them (kube-proxy or ztunnel picks an endpoint per connection, so they split by endpoints, not by weight); a caller sidecar or a waypoint would`,
    );
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
