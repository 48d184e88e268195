// What meshsim import takes from PeerAuthentications (import/peer-authentication.ts): the root namespace's
// without a selector as mesh.mtls, a namespace's as its mtls, one selecting a workload as its service's,
// the oldest of a scope winning (manifest order) and UNSET inheriting; port-level modes named.
import { describe, expect, it } from 'vitest';
import { importScenario, parseManifests } from '../../src/import/index.ts';
import { parseScenario, strictMtls } from '../../src/scenario/index.ts';
import { app } from './app-manifests.ts';

const pa = (ns: string, name: string, mode: string, selector = '', ports = '') => `---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: ${name}, namespace: ${ns} }
spec:
${selector ? `  selector: { matchLabels: { app: ${selector} } }\n` : ''}  mtls: { mode: ${mode} }
${ports ? `  portLevelMtls: { "${ports}": { mode: DISABLE } }\n` : ''}`;

function load(extra: string) {
  const text = [app('shop', 'web'), app('shop', 'api'), app('pay', 'billing')].join('---\n');
  const { manifests } = parseManifests(`${text}${extra}`, 'm.yaml');
  const r = importScenario(manifests, { sources: ['m.yaml'] });
  const s = parseScenario(r.text, 'm.yaml');
  const strict = (key: string) => strictMtls(s, s.services.find((x) => x.key === key)!);
  return { r, s, strict };
}

describe('import of PeerAuthentications', () => {
  it('mesh, namespace and workload scopes, the narrowest winning', () => {
    const { r, s, strict } = load(
      pa('istio-system', 'default', 'STRICT') +
        pa('pay', 'default', 'PERMISSIVE') +
        pa('shop', 'api', 'PERMISSIVE', 'api', '8080'),
    );
    expect(s.mesh.mtls).toBe('STRICT');
    expect(s.namespaces.find((n) => n.name === 'pay')!.mtls).toBe('PERMISSIVE');
    expect(strict('shop/web')).toBe(true);
    expect(strict('shop/api')).toBe(false);
    expect(strict('pay/billing')).toBe(false);
    expect(r.text).toContain('PeerAuthentication istio-system/default (m.yaml:');
    expect(r.text).toContain('mTLS STRICT for the mesh (mesh.mtls)');
    expect(r.text).toContain(
      'mTLS PERMISSIVE for its selected workloads (services[].mtls); portLevelMtls not simulated',
    );
  });

  it('the oldest of a scope wins, UNSET inherits, DISABLE is taken', () => {
    const { strict } = load(pa('shop', 'a', 'STRICT') + pa('shop', 'b', 'PERMISSIVE'));
    expect(strict('shop/web')).toBe(true);
    const unset = load(pa('istio-system', 'default', 'STRICT') + pa('shop', 'a', 'UNSET'));
    expect(unset.strict('shop/web')).toBe(true);
    const disable = load(pa('shop', 'a', 'DISABLE'));
    expect(disable.strict('shop/web')).toBe(false);
    expect(disable.s.namespaces.find((n) => n.name === 'shop')!.mtls).toBe('DISABLE');
    expect(disable.r.text).toContain('mTLS DISABLE for namespace shop');
  });
});
