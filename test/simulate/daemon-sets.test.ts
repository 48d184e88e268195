// A platform DaemonSet in the simulation: its usage is background CPU on each node it runs on (what is
// left of the node is what the requests share), it counts as application CPU and memory, and in sidecar
// mode its pods carry sidecars that istiod serves. Checked by hand on one node at a load that queues
// nothing (constant arrivals, 10 ms apart, each needing 2 ms of CPU).
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/index.ts';
import { simulate } from '../../src/simulate/index.ts';

const Mi = 2 ** 20;

const text = (daemonSets: string) => `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: ds }
cluster:
  nodePools:
    - { name: p, instanceType: custom, vcpu: 4, memory: 16Gi, systemReserved: { cpu: 0, memory: 0 }, count: 1 }
${daemonSets}
namespaces:
  - { name: shop, labels: { istio-injection: enabled } }
services:
  - { name: web, namespace: shop, replicas: 1, resources: { requests: { cpu: 100m, memory: 128Mi } }, serviceTime: 2ms }
traffic:
  - { name: in, to: web.shop, rate: 100/s, arrival: constant, clientMode: none }
compare: [none, sidecar]
simulation: { duration: 6s, warmup: 1s, replications: 1, seed: 5 }
`;

const AGENT = `  daemonSets:
    - { name: agent, namespace: shop, resources: { requests: { cpu: 100m, memory: 64Mi } }, usage: { cpu: 3500m, memory: 200Mi } }`;

function run(daemonSets: string) {
  const r = simulate(parseScenario(text(daemonSets), 'ds.yaml'), { file: 'ds.yaml' });
  const arch = (a: string) => r.architectures.find((x) => x.architecture === a)!;
  const app = (a: string) => arch(a).components.find((c) => c.component === 'application')!;
  return { arch, app };
}

describe('platform DaemonSets in the simulation', () => {
  const plain = run('');
  const agent = run(AGENT);

  it('its usage is the node CPU the others no longer get', () => {
    // 3.5 of the node's 4 cores go to the agent: a request's 2 ms of CPU runs at half a core, 4 ms, and
    // so does its load generator's CPU for it (on the same node).
    const latency = (x: typeof plain) => x.arch('none').entryPoints[0]!.latency.mean.mean;
    const client = parseScenario(text(''), 'ds.yaml').traffic[0]!.clientCpu.perRequest;
    expect(latency(agent) - latency(plain)).toBeCloseTo(0.002 + client, 6);
    // The requests' CPU (100/s x 2 ms = 0.2 cores) plus the agent's 3.5 cores; the node also runs the
    // load generator's (100/s x its CPU per request).
    expect(plain.app('none').cpu.used.mean).toBeCloseTo(0.2, 3);
    expect(agent.app('none').cpu.used.mean).toBeCloseTo(3.7, 3);
    expect(agent.arch('none').placement.perNode[0]!.cpuUsed).toBeCloseTo(3.7 + 100 * client, 3);
  });

  it('counts as the application: its memory used, its requests', () => {
    expect(agent.app('none').memory.used.mean - plain.app('none').memory.used.mean).toBeCloseTo(200 * Mi, -3);
    expect(agent.app('none').cpu.requested - plain.app('none').cpu.requested).toBeCloseTo(0.1, 9);
    expect(agent.app('none').memory.requested - plain.app('none').memory.requested).toBe(64 * Mi);
  });

  it('in sidecar mode its pod carries a sidecar, one more proxy istiod serves', () => {
    const sidecars = (x: typeof plain) =>
      x.arch('sidecar').components.find((c) => c.component === 'sidecar')!.instances;
    expect(sidecars(agent) - sidecars(plain)).toBe(1);
    expect(agent.arch('sidecar').controlPlane.proxies - plain.arch('sidecar').controlPlane.proxies).toBe(1);
  });
});
