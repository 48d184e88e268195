// Versions behind one Service and request routes (per-endpoint request mixes), with their defaults filled
// from the service they belong to.

import { DEFAULT_SERVICE_RESOURCES, DEFAULT_SERVICE_TIME } from '../assumptions.ts';
import type { Problems } from '../pending.ts';
import type { RawScenario } from '../schema/index.ts';
import type { Call, RequestRoute, ResourceSpec, ServiceVersion } from '../types.ts';
import { mergeResources } from './merge.ts';
import type { ServiceIndex } from './resolve.ts';
import { subsetPolicy } from './subset-policy.ts';

type RawService = RawScenario['services'][number];
type RawCall = NonNullable<RawService['calls']>[number];
type RawRoute = NonNullable<RawService['routes']>[number];

interface Ctx {
  index: ServiceIndex;
  problems: Problems;
  /** Namespace the calls' short names resolve in. */
  from: string;
  call: (raw: RawCall, at: PropertyKey[], from: string, index: ServiceIndex, problems: Problems) => Call;
}

const calls = (raw: RawCall[], at: PropertyKey[], ctx: Ctx): Call[] =>
  raw.map((c, j) => ctx.call(c, [...at, j], ctx.from, ctx.index, ctx.problems));

/** Names unique within their list, weights that leave something to draw. */
function checkList(
  list: ReadonlyArray<{ name: string; weight?: number | undefined }>,
  at: PropertyKey[],
  what: string,
  problems: Problems,
): void {
  const seen = new Set<string>();
  list.forEach((x, i) => {
    if (seen.has(x.name)) problems.add([...at, i, 'name'], `a ${what} name not used before in this list`);
    seen.add(x.name);
  });
  const weighted = list.filter((x) => x.weight !== undefined);
  if (weighted.length > 0 && weighted.reduce((a, x) => a + x.weight!, 0) <= 0)
    problems.add([...at, 0, 'weight'], `weights of which at least one is above 0`);
}

/** `baseCalls`: the service's own calls, shared (the same objects) by versions without calls of their own. */
export function normaliseVersions(
  raw: RawService,
  at: PropertyKey[],
  ctx: Ctx,
  baseCalls: Call[],
): ServiceVersion[] {
  const list = raw.versions ?? [];
  const vat = [...at, 'versions'];
  const { problems } = ctx;
  if (raw.replicas !== undefined)
    problems.add([...at, 'replicas'], 'no replicas with versions (each version has its own)', {
      atKey: true,
    });
  checkList(list, vat, 'version', problems);
  // A VirtualService names every subset it splits over: weights on some versions only are a mistake.
  const weighted = list.filter((v) => v.weight !== undefined).length;
  if (weighted > 0 && weighted < list.length) {
    const i = list.findIndex((v) => v.weight === undefined);
    problems.add([...vat, i, 'weight'], 'a weight on every version, or on none');
  }
  if (raw.routes) {
    list.forEach((v, i) => {
      for (const field of ['serviceTime', 'calls'] as const)
        if (v[field] !== undefined)
          problems.add([...vat, i, field], `no ${field} on a version of a service with routes`, {
            atKey: true,
          });
    });
  }
  const base: ResourceSpec = mergeResources(DEFAULT_SERVICE_RESOURCES, raw.resources);
  return list.map((v, i) => {
    const out: ServiceVersion = {
      name: v.name,
      replicas: v.replicas,
      resources: v.resources ? mergeResources(base, v.resources) : structuredClone(base),
      serviceTime: structuredClone(v.serviceTime ?? raw.serviceTime ?? DEFAULT_SERVICE_TIME),
      calls: v.calls ? calls(v.calls, [...vat, i, 'calls'], ctx) : baseCalls,
    };
    if (v.weight !== undefined) out.weight = v.weight;
    if (v.trafficPolicy) {
      const at2 = [...vat, i, 'trafficPolicy'];
      const p = subsetPolicy(v.trafficPolicy, raw.trafficPolicy, weighted === list.length, at2, problems);
      if (p) out.trafficPolicy = p;
    }
    return out;
  });
}

/** Routes of a service or an entry point; `serviceTime` falls back to `fallback` (the target's). */
export function normaliseRoutes(
  list: RawRoute[],
  at: PropertyKey[],
  ctx: Ctx,
  fallback?: RequestRoute['serviceTime'],
): RequestRoute[] {
  checkList(list, at, 'route', ctx.problems);
  return list.map((r, i) => ({
    name: r.name,
    weight: r.weight,
    serviceTime: structuredClone(r.serviceTime ?? fallback ?? DEFAULT_SERVICE_TIME),
    calls: calls(r.calls ?? [], [...at, i, 'calls'], ctx),
  }));
}
