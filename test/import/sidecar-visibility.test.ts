// What meshsim import takes from a Sidecar resource, a Service's exportTo and meshConfig (import/policies.ts
// sidecarFor, import/services.ts serviceAnnotations, import/mesh-config.ts): the Sidecar istiod gives each workload (its
// namespace's selecting one, else its namespace's default, else the root namespace's), its egress hosts
// as written, and the annotation as the scenario's own, so the loaded scenario sees what Istio would.
import { describe, expect, it } from 'vitest';
import { importScenario, parseManifests } from '../../src/import/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { app } from './app-manifests.ts';

const sidecar = (ns: string, name: string, hosts: string, selector = '') => `---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: { name: ${name}, namespace: ${ns} }
spec:
${selector ? `  workloadSelector: { labels: { app: ${selector} } }\n` : ''}  egress: [{ hosts: ${hosts} }]
`;

function load(extra: string) {
  const text = [app('shop', 'web'), app('shop', 'api'), app('pay', 'billing'), app('ops', 'tools')].join(
    '---\n',
  );
  const { manifests } = parseManifests(`${text}${extra}`, 'm.yaml');
  const r = importScenario(manifests, { sources: ['m.yaml'] });
  const s = parseScenario(r.text, 'm.yaml');
  const scope = (key: string) => s.services.find((x) => x.key === key)!.sidecarScope;
  return { r, s, scope };
}

describe('import of Sidecar resources and exportTo', () => {
  it('gives each workload the Sidecar istiod would: selecting, namespace default, root default', () => {
    const { r, scope } = load(
      sidecar('istio-system', 'default', '["./*", "istio-system/*"]') +
        sidecar('shop', 'default', '["./*"]') +
        sidecar('shop', 'web', '["./*", "pay/billing.pay.svc.cluster.local"]', 'web'),
    );
    expect(scope('shop/web')).toEqual(['./*', 'pay/billing.pay.svc.cluster.local']);
    expect(scope('shop/api')).toEqual(['./*']);
    // pay and ops have no Sidecar of their own: the root namespace's applies, `.` being their own.
    expect(scope('pay/billing')).toEqual(['./*', 'istio-system/*']);
    expect(scope('ops/tools')).toEqual(['./*', 'istio-system/*']);
    expect(r.text).toContain('Sidecar shop/web (m.yaml:');
    expect(r.text).toContain('egress hosts ./*, pay/billing.pay.svc.cluster.local');
  });

  it('takes */* or no egress as every exported service, and skips hosts istiod skips', () => {
    expect(load(sidecar('shop', 'default', '["*/*"]')).scope('shop/web')).toBe('mesh');
    const { r, scope } = load(sidecar('shop', 'default', '["./*", "billing", "pay/*"]'));
    expect(scope('shop/web')).toEqual(['./*', 'pay/*']);
    expect(r.text).toContain('hosts billing skipped, as istiod does (not namespace/dnsName)');
  });

  it("carries a Service's networking.istio.io/exportTo", () => {
    const exported = (value: string) => {
      const billing = app('pay', 'billing').replace(
        'metadata: { name: billing, namespace: pay }\nspec:\n  selector',
        `metadata: { name: billing, namespace: pay, annotations: { networking.istio.io/exportTo: "${value}" } }\nspec:\n  selector`,
      );
      const { manifests } = parseManifests([app('shop', 'web'), billing].join('---\n'), 'm.yaml');
      const s = parseScenario(importScenario(manifests, { sources: ['m.yaml'] }).text, 'm.yaml');
      return s.services.find((x) => x.key === 'pay/billing')!.exportTo;
    };
    expect(exported('., ops')).toEqual(['.', 'ops']);
    // An entry no namespace can be called exports nowhere, as in istiod.
    expect(exported('Team A')).toEqual(['~']);
  });

  it('reads meshConfig from the istio ConfigMap: defaultServiceExportTo, h2UpgradePolicy, concurrency', () => {
    const cm = `---
apiVersion: v1
kind: ConfigMap
metadata: { name: istio, namespace: istio-system }
data:
  mesh: |-
    defaultServiceExportTo: ["."]
    h2UpgradePolicy: UPGRADE
    outboundTrafficPolicy: { mode: REGISTRY_ONLY }
    defaultConfig:
      concurrency: 3
    accessLogFile: /dev/stdout
`;
    const { r, s } = load(cm);
    expect(s.mesh.defaultServiceExportTo).toEqual(['.']);
    expect(s.mesh.h2UpgradePolicy).toBe('UPGRADE');
    expect(s.mesh.sidecar.workers).toBe(3);
    expect(s.mesh.outboundTrafficPolicy).toBe('REGISTRY_ONLY');
    expect(r.text).toContain('ConfigMap istio-system/istio (m.yaml:');
    expect(r.text).toContain('read, not representable: accessLogFile');
    // A mesh key that is not YAML is named and left out.
    const bad = load(cm.replace('defaultServiceExportTo: ["."]', 'defaultServiceExportTo: [".'));
    expect(bad.s.mesh.defaultServiceExportTo).toBeUndefined();
    expect(bad.r.text).toContain('its mesh key is not YAML');
  });

  it("takes a Sidecar's outboundTrafficPolicy for the workloads it applies to", () => {
    const withPolicy = sidecar('shop', 'default', '["./*"]').replace(
      '  egress:',
      '  outboundTrafficPolicy: { mode: REGISTRY_ONLY, egressProxy: { host: egress.example } }\n  egress:',
    );
    const { r, s } = load(withPolicy);
    expect(s.services.find((x) => x.key === 'shop/web')!.outboundTrafficPolicy).toBe('REGISTRY_ONLY');
    expect(s.services.find((x) => x.key === 'pay/billing')!.outboundTrafficPolicy).toBeUndefined();
    expect(r.text).toContain('egress hosts ./*, outboundTrafficPolicy REGISTRY_ONLY');
    expect(r.text).toContain('outboundTrafficPolicy.egressProxy not modelled');
  });
});
