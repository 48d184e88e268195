// The scenario rules (observability, L7 calls, sidecar callers, capacity) with a scenario that triggers
// each and one that does not; and the finding format.
import { describe, expect, it } from 'vitest';
import {
  checkManifests,
  checkScenario,
  findingsJson,
  formatFindings,
  hasErrors,
} from '../../src/check/index.ts';
import { parseManifests } from '../../src/import/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { deploy, docs, ns, service } from './manifests.ts';

interface Opts {
  compare?: string;
  webNs?: 'sidecar' | 'ambient';
  apiWaypoint?: boolean;
  l7?: boolean;
  rate?: string;
  ztunnelCpu?: string;
}

function scenario(o: Opts = {}): string {
  return `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: t }
cluster:
  nodePools: [{ name: p, instanceType: m5.xlarge, count: 2 }]
namespaces:
  - name: front
    labels: { ${o.webNs === 'sidecar' ? 'istio-injection: enabled' : 'istio.io/dataplane-mode: ambient'} }
  - name: back
    labels: { istio.io/dataplane-mode: ambient }
${o.apiWaypoint ? 'waypoints: [{ name: wp, namespace: back }]\n' : ''}services:
  - name: web
    namespace: front
    calls: [{ to: api.back, l7: ${o.l7 ? 'true' : 'false'} }]
  - name: api
    namespace: back
${o.apiWaypoint ? '    labels: { istio.io/use-waypoint: wp }\n' : ''}traffic:
  - { name: in, to: web.front, rate: ${o.rate ?? '10/s'} }
compare: [${o.compare ?? 'as-labelled'}]
${o.ztunnelCpu ? `mesh:\n  ztunnel:\n    resources: { requests: { cpu: ${o.ztunnelCpu} }, limits: { cpu: ${o.ztunnelCpu} } }\n` : ''}`;
}

function findings(o: Opts) {
  const text = scenario(o);
  return checkScenario(parseScenario(text, 's.yaml'), { file: 's.yaml', text });
}
const codes = (o: Opts, code: string) => findings(o).filter((f) => f.code === code);

describe('MSH301 L7 telemetry without a waypoint', () => {
  it('lists the ambient services that have no waypoint, per namespace, at the namespace line', () => {
    const f = codes({}, 'MSH301');
    expect(f.map((x) => [x.object.name, x.object.line, x.message])).toEqual([
      ['front', 7, 'services without a waypoint: web'],
      ['back', 9, 'services without a waypoint: api'],
    ]);
  });
  it('leaves out services behind a waypoint and sidecar namespaces', () => {
    expect(codes({ apiWaypoint: true, webNs: 'sidecar' }, 'MSH301')).toEqual([]);
  });
});

describe('MSH302 L7 calls to an ambient service without a waypoint', () => {
  it('fires for l7: true calls', () => {
    expect(codes({ l7: true }, 'MSH302').map((f) => f.object.name)).toEqual(['api']);
  });
  it('stays quiet with a waypoint or without l7', () => {
    expect(codes({ l7: true, apiWaypoint: true }, 'MSH302')).toEqual([]);
    expect(codes({}, 'MSH302')).toEqual([]);
  });
});

describe('MSH401 sidecar callers bypass the waypoint', () => {
  it('fires when a sidecar namespace calls a waypoint-bound ambient service (as labelled)', () => {
    const f = codes({ webNs: 'sidecar', apiWaypoint: true }, 'MSH401');
    expect(f.map((x) => x.object.name)).toEqual(['web']);
    expect(f[0]!.reference).toMatch(/^ASSUMPTION/);
  });
  it('stays quiet when both are ambient, or when only whole architectures are compared', () => {
    expect(codes({ apiWaypoint: true }, 'MSH401')).toEqual([]);
    expect(codes({ webNs: 'sidecar', apiWaypoint: true, compare: 'sidecar, ambient' }, 'MSH401')).toEqual([]);
  });
});

describe('MSH408 ztunnel too small for the load', () => {
  it('is an error when the mean per-node ztunnel CPU exceeds its limit', () => {
    // 20000/s through web -> api, both ambient: 3 ztunnel traversals per request, over 2 nodes.
    const f = codes({ rate: '20000/s', ztunnelCpu: '50m' }, 'MSH408');
    expect(f.map((x) => [x.severity, x.object.name])).toEqual([['error', 'ztunnel']]);
  });
  it('stays quiet at light load', () => {
    expect(codes({ rate: '10/s' }, 'MSH408')).toEqual([]);
  });
});

describe('finding format', () => {
  it('text names file:line, code and severity; JSON carries the same findings; errors decide the exit', () => {
    const fs = findings({ rate: '20000/s', ztunnelCpu: '50m', l7: true });
    const text = formatFindings(fs);
    expect(text).toMatch(/^s\.yaml:\d+: Service back\/api: MSH302 warning: /m);
    expect(text).toMatch(/\d+ findings \(1 error, 1 warning, \d+ info\)\n$/);
    const json = JSON.parse(findingsJson(fs));
    expect(json.findings.map((f: { code: string }) => f.code)).toEqual(fs.map((f) => f.code));
    expect(json.findings[0].severity).toBe('error');
    expect(hasErrors(fs)).toBe(true);
    expect(hasErrors(findings({}))).toBe(false);
  });
});

describe('MSH408 hand calculation: entry points from ambient load generators pass their own ztunnel', () => {
  // One ambient service, no calls, 2 nodes: mean ztunnel CPU per node = rate x hops x cost / 2, with
  // hops = 1 (the destination) + 1 when the load generators run in ambient.
  const text = (clientMode: string, limit: number) => `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: t }
cluster:
  nodePools: [{ name: p, instanceType: m5.xlarge, count: 2 }]
namespaces: [{ name: app, labels: { istio.io/dataplane-mode: ambient } }]
services: [{ name: web, namespace: app }]
traffic: [{ name: in, to: web.app, rate: 1000/s, clientMode: ${clientMode}, requestSize: 0, responseSize: 0 }]
compare: [ambient]
mesh:
  ztunnel:
    resources: { requests: { cpu: ${limit} }, limits: { cpu: ${limit} } }
`;
  const capacity = (clientMode: string, limit: number) => {
    const t = text(clientMode, limit);
    return checkScenario(parseScenario(t, 's.yaml'), { file: 's.yaml', text: t }).filter(
      (f) => f.code === 'MSH408',
    );
  };
  it('fits with external clients and saturates when the clients are ambient too', () => {
    const s = parseScenario(text('none', 1), 's.yaml');
    const perNodeOneHop = (1000 * s.mesh.ztunnel.cost.cpuPerRequest) / 2;
    const limit = Number((perNodeOneHop * 1.5).toFixed(6));
    expect(capacity('none', limit)).toEqual([]);
    expect(capacity('ambient', limit).map((f) => f.severity)).toEqual(['error']);
  });
});

describe('MSH409 proxy memory limit below its configuration', () => {
  // 12 services, 102 endpoints: an unscoped sidecar needs about 59.7 MiB before any connection (the
  // calibrated sizing model), above a 58Mi limit; scoped to its callees, 56.8 MiB.
  const text = (scope: string) => `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: t }
cluster:
  nodePools: [{ name: p, instanceType: m5.xlarge, count: 4 }]
namespaces: [{ name: app, labels: { istio-injection: enabled } }]
services:
  - { name: web, namespace: app, calls: [{ to: api.app }] }
  - { name: api, namespace: app }
${Array.from({ length: 10 }, (_, i) => `  - { name: f${i}, namespace: app, replicas: 10 }`).join('\n')}
traffic: [{ name: in, to: web.app, rate: 10/s }]
compare: [sidecar, ambient]
mesh:
  sidecar:
    scope: ${scope}
    resources: { requests: { cpu: 10m, memory: 32Mi }, limits: { memory: 58Mi } }
`;
  const memory = (scope: string) =>
    checkScenario(parseScenario(text(scope), 's.yaml'), { file: 's.yaml', text: text(scope) }).filter(
      (f) => f.code === 'MSH409',
    );
  it('is an error naming how many sidecars, what they need and their limit; scoped, it is quiet', () => {
    const f = memory('mesh');
    expect(f.map((x) => [x.severity, x.object.name])).toEqual([['error', 'sidecar']]);
    expect(f[0]!.message).toMatch(/^\d+ sidecar containers need up to 60Mi for configuration, above a 58Mi/);
    expect(memory('callees')).toEqual([]);
  });
});

describe('MSH410 what scoping the sidecars would save', () => {
  // Three namespaces of four services with three pods each, every service calling the next one of its
  // namespace; each endpoint made to cost 1 MiB of sidecar memory so a small mesh shows it.
  const ns = ['a', 'b', 'c'];
  const text = (scope: string) => `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: t }
cluster:
  nodePools: [{ name: p, instanceType: m5.xlarge, count: 6 }]
namespaces: [${ns.map((n) => `{ name: ${n}, labels: { istio-injection: enabled } }`).join(', ')}]
services:
${ns
  .flatMap((n) =>
    [0, 1, 2, 3].map(
      (i) =>
        `  - { name: s${i}, namespace: ${n}, replicas: 3${i < 3 ? `, calls: [{ to: s${i + 1} }]` : ''} }`,
    ),
  )
  .join('\n')}
traffic: [{ name: in, to: s0.a, rate: 10/s }]
compare: [sidecar, ambient]
mesh:
  sidecar:
    scope: ${scope}
    cost: { memoryPerEndpoint: 1Mi }
`;
  const findings = (scope: string) => {
    const s = parseScenario(text(scope), 's.yaml');
    return {
      s,
      f: checkScenario(s, { file: 's.yaml', text: text(scope) }).filter((x) => x.code === 'MSH410'),
    };
  };

  it('puts the unscoped, namespace-scoped and callee-scoped configuration side by side', () => {
    const { s, f } = findings('mesh');
    expect(f.map((x) => x.severity)).toEqual(['info']);
    // By hand: 36 sidecars; unscoped each holds 12 clusters and 36 endpoints, namespace-scoped 4 and 12,
    // scoped to its callees its own and the next service (6 endpoints), the last of a namespace its own.
    const c = s.mesh.sidecar.cost;
    const mem = (clusters: number, endpoints: number) =>
      c.memoryBase + c.memoryPerCluster * clusters + c.memoryPerEndpoint * endpoints;
    const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
    const callees = (3 * 3 * 3 * mem(2, 6) + 3 * 3 * mem(1, 3)) / 36;
    expect(f[0]!.message).toContain(`36 unscoped sidecars of 12 services need ${mib(mem(12, 36))} each`);
    expect(f[0]!.message).toContain(`(egress hosts ./* and istio-system/*) ${mib(mem(4, 12))} each`);
    expect(f[0]!.message).toContain(`to the services each calls ${mib(callees)} each`);
  });

  it('is quiet where the sidecars are scoped already', () => {
    expect(findings('callees').f).toEqual([]);
    expect(findings('["./*"]').f).toEqual([]);
  });
});

describe('MSH411 callers outside the mesh of a STRICT service', () => {
  const text = (mtls: string, clientMode: string) => `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: t }
cluster:
  nodePools: [{ name: p, instanceType: m5.xlarge, count: 2 }]
namespaces:
  - { name: shop, labels: { istio-injection: enabled }${mtls} }
  - { name: legacy }
services:
  - { name: web, namespace: shop, calls: [{ to: api }] }
  - { name: api, namespace: shop }
  - { name: batch, namespace: legacy, calls: [{ to: api.shop }] }
traffic: [{ name: in, to: shop/web, rate: 10/s, clientMode: ${clientMode} }]
compare: [sidecar, ambient]
`;
  const findings = (mtls: string, clientMode = 'none') =>
    checkScenario(parseScenario(text(mtls, clientMode), 's.yaml'), {
      file: 's.yaml',
      text: text(mtls, clientMode),
    }).filter((x) => x.code === 'MSH411');

  it('names the unmeshed entry point and service calling each STRICT service', () => {
    const f = findings(', mtls: STRICT');
    expect(f.map((x) => x.object.name)).toEqual(['web', 'api']);
    expect(f[0]!.message).toBe(
      "shop/web's PeerAuthentication is STRICT and entry point in (clients in loadgen) call it in plain text",
    );
    expect(f[1]!.message).toContain('service legacy/batch');
    expect(f[1]!.severity).toBe('warning');
  });

  it('a pod not injected is outside the mesh under sidecar only: ztunnel captures it under ambient', () => {
    const t = text(', mtls: STRICT', 'sidecar').replace(
      '{ name: web, namespace: shop, calls',
      '{ name: web, namespace: shop, annotations: { sidecar.istio.io/inject: "false" }, calls',
    );
    const f = checkScenario(parseScenario(t, 's.yaml'), { file: 's.yaml', text: t }).filter(
      (x) => x.code === 'MSH411' && x.object.name === 'api',
    );
    expect(f[0]!.message).toContain('service shop/web, service legacy/batch');
    expect(f[0]!.architectures.sidecar).toContain(
      'refuse the plain text of service shop/web, service legacy/batch',
    );
    expect(f[0]!.architectures.ambient).toContain('refuse the plain text of service legacy/batch:');
  });

  it('is quiet under PERMISSIVE, and for meshed callers', () => {
    expect(findings('')).toEqual([]);
    expect(findings(', mtls: STRICT', 'sidecar').map((x) => x.object.name)).toEqual(['api']);
  });
});

describe('MSH412 sidecars not given services their workload calls', () => {
  const text = (extra: string) => `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: t }
cluster:
  nodePools: [{ name: p, instanceType: m5.xlarge, count: 2 }]
namespaces:
  - { name: shop, labels: { istio-injection: enabled } }
  - { name: pay, labels: { istio-injection: enabled } }
services:
  - { name: web, namespace: shop, calls: [{ to: billing.pay }]${extra} }
  - { name: billing, namespace: pay, annotations: { networking.istio.io/exportTo: "." } }
traffic: [{ name: in, to: shop/web, rate: 10/s }]
compare: [sidecar, ambient]
`;
  const findings = (extra = '') =>
    checkScenario(parseScenario(text(extra), 's.yaml'), { file: 's.yaml', text: text(extra) }).filter(
      (x) => x.code === 'MSH412',
    );

  it('names the callees a sidecar is not given, and what Istio does with the calls', () => {
    const f = findings();
    expect(f.map((x) => x.object.name)).toEqual(['web']);
    expect(f[0]!.message).toBe(
      "shop/web's sidecars are not given pay/billing (exportTo or Sidecar egress hosts) and send its calls to them through the PassthroughCluster",
    );
    expect(findings(', outboundTrafficPolicy: REGISTRY_ONLY')[0]!.message).toContain('refuse its calls');
    expect(f[0]!.architectures.sidecar).toContain('a STRICT callee would refuse them');
    const strict = text('').replace('exportTo: "." }', 'exportTo: "." }, mtls: STRICT');
    const g = checkScenario(parseScenario(strict, 's.yaml'), { file: 's.yaml', text: strict }).filter(
      (x) => x.code === 'MSH412',
    );
    expect(g[0]!.architectures.sidecar).toContain('pay/billing is STRICT and refuses every such call');
    // An entry point whose load generators carry sidecars (in loadgen) is a caller too.
    const entry = text('').replace(
      'traffic: [{ name: in, to: shop/web, rate: 10/s }]',
      'traffic: [{ name: in, to: shop/web, rate: 10/s }, { name: direct, to: pay/billing, rate: 10/s, clientMode: sidecar }]',
    );
    const h = checkScenario(parseScenario(entry, 's.yaml'), { file: 's.yaml', text: entry }).filter(
      (x) => x.code === 'MSH412',
    );
    expect(h.map((x) => x.message)).toContain(
      "entry point direct's load-generator sidecars (namespace loadgen) are not given pay/billing (exportTo or Sidecar egress hosts) and send its calls to them through the PassthroughCluster",
    );
  });
});

describe('a namespace labelled out of the mesh stays out under every architecture (cluster/modes.ts)', () => {
  // The simulator never gives legacy's pods a proxy, so no rule may warn about one they lack.
  const text = (legacyLabels: string) => `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: t }
cluster:
  nodePools: [{ name: p, instanceType: m5.xlarge, count: 2 }]
namespaces:
  - { name: legacy, labels: { ${legacyLabels} } }
services:
  - { name: web, namespace: legacy, calls: [{ to: api.legacy, l7: true }] }
  - { name: api, namespace: legacy }
traffic: [{ name: in, to: web.legacy, rate: 1000/s }]
compare: [sidecar, ambient]
mesh:
  ztunnel:
    resources: { requests: { cpu: 1m }, limits: { cpu: 1m } }
`;
  const codesOf = (labels: string) => {
    const t = text(labels);
    return checkScenario(parseScenario(t, 's.yaml'), { file: 's.yaml', text: t }).map((f) => f.code);
  };
  it('no L7-telemetry, L7-call or ztunnel-capacity finding for its services', () => {
    const out = codesOf('team: old');
    for (const code of ['MSH301', 'MSH302', 'MSH408']) expect(out).not.toContain(code);
  });
  it('the same namespace labelled for ambient gets all three', () => {
    const out = codesOf('istio.io/dataplane-mode: ambient');
    for (const code of ['MSH301', 'MSH302', 'MSH408']) expect(out).toContain(code);
  });
  it('manifests are checked as if moved: the same unlabelled namespace there gets MSH302', () => {
    const text = docs(
      ns('legacy'),
      deploy('web', 'legacy'),
      deploy('api', 'legacy'),
      service('api', 'legacy'),
    );
    const overlay = {
      file: 'calls.yaml',
      data: {
        services: [{ name: 'web', calls: [{ to: 'api.legacy', l7: true }] }],
        traffic: [{ name: 'in', to: 'web.legacy', rate: '5/s' }],
      },
      locate: () => ({}),
    };
    const { manifests } = parseManifests(text, 'm.yaml');
    const f = checkManifests(manifests, ['m.yaml'], {}, undefined, overlay).findings;
    expect(f.filter((x) => x.code === 'MSH302').map((x) => x.object.name)).toEqual(['api']);
  });
});
