// Bookinfo end to end: imported with its call overlay, loaded by the scenario loader, simulated, and
// pinned by goldens (the scenario text and the results of a short run). The fixture is a copy of
// shared/workloads/bookinfo.yaml so the test does not depend on a path outside the repository.
import { describe, expect, it } from 'vitest';
import { importScenario, readManifests, readOverlay } from '../../src/import/index.ts';
import { resultsJson } from '../../src/report/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { simulate } from '../../src/simulate/index.ts';

const BOOKINFO = 'test/fixtures/import/bookinfo.yaml';
const CALLS = 'test/fixtures/import/bookinfo-calls.yaml';

function imported(withCalls = true) {
  return importScenario(readManifests([BOOKINFO]), {
    sources: [BOOKINFO],
    ...(withCalls ? { overlay: readOverlay(CALLS) } : {}),
    inferCalls: true,
  });
}

describe('meshsim import of Bookinfo', () => {
  it('gives a scenario the loader accepts, with what the manifests say', () => {
    const s = parseScenario(imported().text, 'bookinfo.yaml');
    const svc = (n: string) => s.services.find((x) => x.name === n)!;
    expect(s.services.map((x) => x.key).sort()).toEqual([
      'bookinfo/details',
      'bookinfo/productpage',
      'bookinfo/ratings',
      'bookinfo/reviews',
      'loadgen/fortio',
    ]);
    // Three reviews Deployments behind one Service; the per-version Services are aliases.
    expect(svc('reviews').replicas).toBe(3);
    expect(svc('reviews').useWaypoint).toBe('reviews-waypoint');
    expect(svc('reviews').calls.map((c) => [c.to, c.count])).toEqual([['bookinfo/ratings', 0.67]]);
    expect(svc('productpage').calls.map((c) => [c.to, c.l7])).toEqual([
      ['bookinfo/details', false],
      // The reviews HTTPRoute needs an L7 proxy: the call is marked l7.
      ['bookinfo/reviews', true],
    ]);
    // No requests in the sample: the scheduler's defaults; fortio's own requests are read.
    expect(svc('details').resources.requests).toEqual({ cpu: 0.1, memory: 200 * 2 ** 20 });
    expect(svc('fortio').resources.requests).toEqual({ cpu: 0.5, memory: 256 * 2 ** 20 });
    expect(s.namespaces.find((n) => n.name === 'bookinfo')?.mode).toBe('ambient');
    expect(s.waypoints.map((w) => [w.name, w.namespace, w.for])).toEqual([
      ['reviews-waypoint', 'bookinfo', 'service'],
    ]);
    expect(s.traffic.map((t) => [t.name, t.to, t.rate])).toEqual([['fortio', 'bookinfo/productpage', 50]]);
  });

  it('writes what it cannot represent as comments, and warns about missing requests', () => {
    const r = imported();
    expect(r.text).toContain('splits traffic reviews-v1 50 / reviews-v2 30 / reviews-v3 20');
    expect(r.text).toContain('class istio: an ingress gateway, not representable yet');
    expect(r.text).toMatch(/Service bookinfo\/reviews-v1 \(.*:\d+\) selects pods of bookinfo\/reviews/);
    expect(r.text).toContain('Ignored (kinds meshsim does not use): ServiceAccount 4.');
    expect(r.text).toContain(
      '--infer-calls proposes (not applied; confirm it in a --calls file): traffic: [{ name: fortio, to: productpage.bookinfo',
    );
    expect(r.warnings.filter((w) => w.includes('set no requests'))).toHaveLength(6);
  });

  it('without --calls, the ingress backend gets an assumed entry point and the result still loads', () => {
    const s = parseScenario(imported(false).text, 'bookinfo.yaml');
    expect(s.traffic.map((t) => [t.to, t.rate])).toEqual([['bookinfo/productpage', 100]]);
    expect(s.services.every((x) => x.calls.length === 0)).toBe(true);
  });

  it('golden: the imported scenario text', async () => {
    await expect(imported().text).toMatchFileSnapshot('../golden/import/bookinfo.yaml');
  });

  it('golden: a short run of the imported scenario (3 s, 1 replication)', async () => {
    const s = structuredClone(parseScenario(imported().text, 'bookinfo.yaml'));
    s.simulation.duration = 3;
    s.simulation.warmup = 1;
    s.simulation.replications = 1;
    const json = resultsJson(simulate(s, { file: 'test/golden/import/bookinfo.yaml' }));
    const results = JSON.parse(json);
    expect(results.architectures.map((a: { architecture: string }) => a.architecture)).toEqual([
      'none',
      'sidecar',
      'ambient',
    ]);
    await expect(json).toMatchFileSnapshot('../golden/import/bookinfo-results.json');
  });
});
