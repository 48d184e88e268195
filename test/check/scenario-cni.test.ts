// cluster.cni in a scenario: the CNI rules read the declared CNI, platform and settings as they read
// cilium-config or the aws-node DaemonSet in manifests.
import { describe, expect, it } from 'vitest';
import { checkScenario } from '../../src/check/index.ts';
import { parseScenario, ScenarioError } from '../../src/scenario/index.ts';

function scenario(cni: string): string {
  return `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: t }
cluster:
  nodePools: [{ name: p, instanceType: m5.xlarge, count: 2 }]
${cni}
namespaces: [{ name: app, labels: { istio.io/dataplane-mode: ambient } }]
services: [{ name: api, namespace: app }]
traffic: [{ name: in, to: api.app, rate: 10/s }]
compare: [ambient]
`;
}

const codes = (cni: string) => {
  const text = scenario(cni);
  return checkScenario(parseScenario(text, 's.yaml'), { file: 's.yaml', text }).map((f) => f.code);
};

describe('cluster.cni', () => {
  it('Cilium with kube-proxy replacement and socket LB in every namespace: MSH201; host-namespace only: not', () => {
    const kpr = (hostOnly: string) =>
      `  cni: { name: cilium, settings: { kube-proxy-replacement: "true", bpf-lb-sock-hostns-only: "${hostOnly}", cni-exclusive: "false" } }`;
    expect(codes(kpr('false'))).toContain('MSH201');
    expect(codes(kpr('true'))).not.toContain('MSH201');
  });

  it("Cilium's exclusive CNI configuration (its default) removes istio-cni's chaining: MSH202", () => {
    expect(codes('  cni: { name: cilium }')).toContain('MSH202');
    expect(codes('  cni: { name: cilium, settings: { cni-exclusive: "false" } }')).not.toContain('MSH202');
  });

  it('no CNI declared: no CNI finding', () => {
    const c = codes('');
    expect(c).not.toContain('MSH201');
    expect(c).not.toContain('MSH202');
  });

  it('an unknown CNI is a positioned scenario error', () => {
    try {
      parseScenario(scenario('  cni: { name: weave }'), 's.yaml');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ScenarioError);
      expect((e as ScenarioError).issues[0]).toMatchObject({ path: 'cluster.cni.name', line: 6 });
    }
  });
});
