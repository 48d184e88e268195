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
    ]);
    // Three reviews Deployments behind one Service, told apart by their `version` label: its versions,
    // weighted as the HTTPRoute over the per-version Services (aliases) splits them; the --calls file
    // gives v2 and v3 their ratings call by version name.
    const reviews = svc('reviews');
    expect(reviews.replicas).toBe(3);
    expect(reviews.versions!.map((v) => [v.name, v.replicas, v.weight])).toEqual([
      ['v1', 1, 50],
      ['v2', 1, 30],
      ['v3', 1, 20],
    ]);
    expect(reviews.versions!.map((v) => v.calls.map((c) => c.to))).toEqual([
      [],
      ['bookinfo/ratings'],
      ['bookinfo/ratings'],
    ]);
    expect(reviews.useWaypoint).toBe('reviews-waypoint');
    expect(svc('productpage').calls.map((c) => [c.to, c.l7])).toEqual([
      ['bookinfo/details', false],
      // The reviews HTTPRoute needs an L7 proxy: the call is marked l7.
      ['bookinfo/reviews', true],
    ]);
    // No requests in the sample: the scheduler's defaults.
    expect(svc('details').resources.requests).toEqual({ cpu: 0.1, memory: 200 * 2 ** 20 });
    expect(s.namespaces.find((n) => n.name === 'bookinfo')?.mode).toBe('ambient');
    expect(s.waypoints.map((w) => [w.name, w.namespace, w.for])).toEqual([
      ['reviews-waypoint', 'bookinfo', 'service'],
    ]);
    // The fortio Deployment (`load -c 32 -qps 0`) is the load generator: a closed loop of 32 connections
    // with no rate cap, from a pod with fortio's own requests and limits.
    const fortio = s.traffic[0]!;
    expect([fortio.name, fortio.to, fortio.clients, fortio.via]).toEqual([
      'fortio',
      'bookinfo/productpage',
      1,
      'ingress',
    ]);
    // As in scenarios/bookinfo.yaml, written by hand before the import did it.
    expect([s.mesh.ingressGateway.name, s.mesh.ingressGateway.namespace]).toEqual([
      'bookinfo-gateway-istio',
      'bookinfo',
    ]);
    expect(fortio.closedLoop).toEqual({ connections: 32 });
    expect(fortio.clientPod?.resources).toEqual({
      requests: { cpu: 0.5, memory: 256 * 2 ** 20 },
      limits: { cpu: 1, memory: 512 * 2 ** 20 },
    });
  });

  it('writes what it cannot represent as comments, and warns about missing requests', () => {
    const r = imported();
    // The split is written as version weights, so it is no longer a comment.
    expect(r.text).not.toContain('splits traffic');
    expect(r.text).toMatch(/weights from HTTPRoute bookinfo\/reviews \(.*:\d+\)/);
    expect(r.text).toMatch(
      /a load generator: fortio load -c 32 -qps 0 -t 300s via ingress bookinfo\/bookinfo-gateway/,
    );
    // The fortio URL names the Service of the Deployment istiod generates for bookinfo-gateway.
    expect(r.text).toMatch(/via: ingress # through Gateway bookinfo\/bookinfo-gateway \(.*:\d+\)/);
    expect(r.text).toMatch(/Service bookinfo\/reviews-v1 \(.*:\d+\) selects pods of bookinfo\/reviews/);
    expect(r.text).toContain('Ignored (kinds meshsim does not use): ServiceAccount 4.');
    expect(r.warnings.filter((w) => w.includes('set no requests'))).toHaveLength(6);
  });

  it("without --calls, the load generator's URL (through the ingress) gives the entry point", () => {
    const s = parseScenario(imported(false).text, 'bookinfo.yaml');
    expect(s.traffic.map((t) => [t.name, t.to, t.closedLoop?.connections])).toEqual([
      ['fortio', 'bookinfo/productpage', 32],
    ]);
    expect(s.services.every((x) => x.calls.length === 0)).toBe(true);
  });

  it('with a rate in the --calls file, the rate is kept and the loop is a comment', () => {
    const r = importScenario(readManifests([BOOKINFO]), {
      sources: [BOOKINFO],
      overlay: {
        ...readOverlay(CALLS),
        data: { traffic: [{ name: 'fortio', to: 'productpage.bookinfo', rate: '50/s' }] },
      },
    });
    const s = parseScenario(r.text, 'bookinfo.yaml');
    expect(s.traffic.map((t) => [t.rate, t.closedLoop])).toEqual([[50, undefined]]);
    expect(r.text).toContain(
      "its arguments describe a closed loop of 32 connections; the --calls file's rate is used",
    );
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
    // fortio's closed loop holds at most its 32 connections in flight: not a sign of saturation, even
    // when 32 are more than 1 % of the few seconds' requests.
    for (const a of results.architectures)
      expect(a.warnings.filter((w: string) => w.includes('saturated'))).toEqual([]);
    await expect(json).toMatchFileSnapshot('../golden/import/bookinfo-results.json');
  });
});
