// Each manifest rule with a minimal manifest that triggers it and one that does not.
import { describe, expect, it } from 'vitest';
import { checkManifests } from '../../src/check/index.ts';
import { parseManifests } from '../../src/import/index.ts';
import { check, deploy, docs, netpol, ns, service, waypoint } from './manifests.ts';

const has = (text: string, code: string, flags = {}) => check(text, flags).filter((f) => f.code === code);

const ALLOW_8080 = '    - ports:\n        - port: 8080\n';
const ALLOW_8080_15008 = '    - ports:\n        - port: 8080\n        - port: 15008\n';
const ALLOW_PROBES = '    - from:\n        - ipBlock:\n            cidr: 169.254.7.127/32\n';

describe('MSH101 kubelet probes vs NetworkPolicy in ambient', () => {
  it('fires when an ingress policy admits no traffic from 169.254.7.127 to a probed ambient pod', () => {
    const text = docs(
      ns('app', 'ambient'),
      deploy('api', 'app', { probe: 'httpGet' }),
      netpol(
        'deny',
        'app',
        ALLOW_8080_15008.replace('    - ports', '    - from:\n        - podSelector: {}\n      ports'),
      ),
    );
    const f = has(text, 'MSH101');
    expect(f).toHaveLength(1);
    expect(f[0]!.severity).toBe('error');
    expect(f[0]!.object).toMatchObject({ kind: 'Deployment', name: 'api', file: 'test.yaml', line: 8 });
  });
  it('stays quiet when the policy admits 169.254.7.127, and for exec probes', () => {
    expect(
      has(
        docs(
          ns('app', 'ambient'),
          deploy('api', 'app', { probe: 'httpGet' }),
          netpol('np', 'app', `${ALLOW_PROBES}${ALLOW_8080_15008}`),
        ),
        'MSH101',
      ),
    ).toEqual([]);
    expect(
      has(
        docs(
          ns('app', 'ambient'),
          deploy('api', 'app', { probe: 'exec' }),
          netpol('np', 'app', '    - from:\n        - podSelector: {}\n'),
        ),
        'MSH101',
      ),
    ).toEqual([]);
  });
});

describe('MSH102 HBONE port 15008', () => {
  it('fires when ingress rules open only application ports to an ambient pod', () => {
    const f = has(
      docs(
        ns('app', 'ambient'),
        deploy('api', 'app'),
        service('api', 'app'),
        netpol('np', 'app', ALLOW_8080),
      ),
      'MSH102',
    );
    expect(f.map((x) => x.severity)).toEqual(['error']);
    expect(f[0]!.message).toContain('8080');
  });
  it('for sidecar pods, fires only as a what-if of the move to ambient, and says so', () => {
    const text = docs(ns('app', 'sidecar'), deploy('api', 'app'), netpol('np', 'app', ALLOW_8080));
    expect(has(text, 'MSH102')[0]!.message).toContain('checked as if moved to ambient');
    const { manifests } = parseManifests(text, 't.yaml');
    expect(
      checkManifests(manifests, ['t.yaml'], {}, ['as-labelled']).findings.filter((f) => f.code === 'MSH102'),
    ).toEqual([]);
  });
  it('stays quiet when 15008 is open too', () => {
    expect(
      has(docs(ns('app', 'ambient'), deploy('api', 'app'), netpol('np', 'app', ALLOW_8080_15008)), 'MSH102'),
    ).toEqual([]);
  });
});

const L7_POLICY = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: get-only
  namespace: app
spec:
  selector:
    matchLabels:
      app: api
  rules:
    - to:
        - operation:
            methods: [GET]
`;

describe('MSH103 L7 authorization rules without an L7 proxy', () => {
  it('fires for a selector-bound L7 policy on ambient pods', () => {
    const f = has(
      docs(ns('app', 'ambient'), deploy('api', 'app'), service('api', 'app'), L7_POLICY),
      'MSH103',
    );
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain('to.operation.methods');
  });
  it('stays quiet for an L4-only policy and for one bound to a Service with a waypoint', () => {
    const l4 = L7_POLICY.replace(
      '        - operation:\n            methods: [GET]',
      '        - operation:\n            ports: ["8080"]',
    );
    expect(has(docs(ns('app', 'ambient'), deploy('api', 'app'), l4), 'MSH103')).toEqual([]);
    // Bound to a Service behind a waypoint: the waypoint enforces it.
    const bound = L7_POLICY.replace(
      '  selector:\n    matchLabels:\n      app: api',
      '  targetRefs:\n    - kind: Service\n      group: ""\n      name: api',
    );
    expect(
      has(
        docs(
          ns('app', 'ambient'),
          deploy('api', 'app'),
          service('api', 'app', { waypoint: 'wp' }),
          waypoint('wp', 'app'),
          bound,
        ),
        'MSH103',
      ),
    ).toEqual([]);
  });
});

const CILIUM = (data: Record<string, string>) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cilium-config\n  namespace: kube-system\ndata:\n${Object.entries(
    data,
  )
    .map(([k, v]) => `  ${k}: "${v}"`)
    .join('\n')}\n`;

describe('MSH201 Cilium socket load balancing', () => {
  it('fires with kube-proxy replacement and socket LB in every namespace', () => {
    const f = has(
      docs(
        ns('app', 'ambient'),
        deploy('api', 'app'),
        CILIUM({
          'kube-proxy-replacement': 'true',
          'bpf-lb-sock-hostns-only': 'false',
          'cni-exclusive': 'false',
        }),
      ),
      'MSH201',
    );
    expect(f.map((x) => x.severity)).toEqual(['error']);
  });
  it('stays quiet with bpf-lb-sock-hostns-only true', () => {
    expect(
      has(
        docs(
          ns('app', 'ambient'),
          deploy('api', 'app'),
          CILIUM({
            'kube-proxy-replacement': 'true',
            'bpf-lb-sock-hostns-only': 'true',
            'cni-exclusive': 'false',
          }),
        ),
        'MSH201',
      ),
    ).toEqual([]);
  });
});

describe('MSH202 Cilium exclusive CNI config', () => {
  it('fires when cni-exclusive is not false', () => {
    expect(
      has(
        docs(ns('app', 'ambient'), deploy('api', 'app'), CILIUM({ 'cni-exclusive': 'true' })),
        'MSH202',
      ).map((f) => f.severity),
    ).toEqual(['error']);
  });
  it('stays quiet with cni-exclusive false, and without Cilium', () => {
    expect(
      has(docs(ns('app', 'ambient'), deploy('api', 'app'), CILIUM({ 'cni-exclusive': 'false' })), 'MSH202'),
    ).toEqual([]);
    expect(has(docs(ns('app', 'ambient'), deploy('api', 'app')), 'MSH202')).toEqual([]);
  });
});

const AWS_NODE = (mode?: string) => `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: aws-node
  namespace: kube-system
spec:
  selector:
    matchLabels:
      k8s-app: aws-node
  template:
    metadata:
      labels:
        k8s-app: aws-node
    spec:
      containers:
        - name: aws-node
          env:
            - name: ENABLE_POD_ENI
              value: "true"${mode ? `\n            - name: POD_SECURITY_GROUP_ENFORCING_MODE\n              value: ${mode}` : ''}
`;
const SGP =
  'apiVersion: vpcresources.k8s.aws/v1beta1\nkind: SecurityGroupPolicy\nmetadata:\n  name: sg\n  namespace: app\nspec:\n  podSelector: {}\n';

describe('MSH203 EKS security groups for pods', () => {
  it('fires in strict mode (the default) with probed ambient pods and a SecurityGroupPolicy', () => {
    expect(
      has(
        docs(ns('app', 'ambient'), deploy('api', 'app', { probe: 'httpGet' }), AWS_NODE(), SGP),
        'MSH203',
      ).map((f) => f.severity),
    ).toEqual(['error']);
  });
  it('stays quiet in standard mode', () => {
    expect(
      has(
        docs(ns('app', 'ambient'), deploy('api', 'app', { probe: 'httpGet' }), AWS_NODE('standard'), SGP),
        'MSH203',
      ),
    ).toEqual([]);
  });
});

const ZTUNNEL = (namespace: string) =>
  deploy('ztunnel', namespace, { kind: 'DaemonSet' }).replace(
    'image: example/ztunnel:1.0',
    'image: docker.io/istio/ztunnel:1.28.1',
  );
const QUOTA = `apiVersion: v1
kind: ResourceQuota
metadata:
  name: gcp-critical-pods
  namespace: istio-system
spec:
  hard:
    pods: 1000
  scopeSelector:
    matchExpressions:
      - operator: In
        scopeName: PriorityClass
        values: [system-node-critical]
`;

describe('MSH204 GKE ResourceQuota for system-node-critical', () => {
  it('fires on GKE with ztunnel in istio-system and no quota', () => {
    const f = has(docs(ns('app', 'ambient'), deploy('api', 'app'), ZTUNNEL('istio-system')), 'MSH204', {
      platform: 'gke',
    });
    expect(f.map((x) => x.severity)).toEqual(['error']);
  });
  it('stays quiet with the quota, in kube-system, or off GKE', () => {
    expect(
      has(docs(ns('app', 'ambient'), deploy('api', 'app'), ZTUNNEL('istio-system'), QUOTA), 'MSH204', {
        platform: 'gke',
      }),
    ).toEqual([]);
    expect(
      has(docs(ns('app', 'ambient'), deploy('api', 'app'), ZTUNNEL('kube-system')), 'MSH204', {
        platform: 'gke',
      }),
    ).toEqual([]);
    expect(
      has(docs(ns('app', 'ambient'), deploy('api', 'app'), ZTUNNEL('istio-system')), 'MSH204', {
        platform: 'eks',
      }),
    ).toEqual([]);
  });
});

describe('MSH205 DNS capture', () => {
  const nodeLocal = deploy('node-local-dns', 'kube-system', { kind: 'DaemonSet', hostNetwork: true });
  it('warns when NodeLocal DNSCache also answers for ambient pods (version read from the ztunnel image)', () => {
    const f = has(
      docs(ns('app', 'ambient'), deploy('api', 'app'), ZTUNNEL('istio-system'), nodeLocal),
      'MSH205',
    );
    expect(f.map((x) => x.severity)).toEqual(['warning']);
    expect(f[0]!.message).toContain('Istio 1.28');
    expect(f[0]!.message).toContain('NodeLocal DNSCache');
  });
  it('says nothing before Istio 1.25 turned capture on', () => {
    expect(
      has(docs(ns('app', 'ambient'), deploy('api', 'app'), nodeLocal), 'MSH205', { istioVersion: '1.24' }),
    ).toEqual([]);
  });
});

describe('MSH402 headless Services behind a service waypoint', () => {
  it('fires for a headless Service bound to a waypoint', () => {
    expect(
      has(
        docs(
          ns('app', 'ambient'),
          deploy('db', 'app', { kind: 'StatefulSet' }),
          service('db', 'app', { headless: true, waypoint: 'wp' }),
          waypoint('wp', 'app'),
        ),
        'MSH402',
      ),
    ).toHaveLength(1);
  });
  it('stays quiet for a ClusterIP Service', () => {
    expect(
      has(
        docs(
          ns('app', 'ambient'),
          deploy('db', 'app', { kind: 'StatefulSet' }),
          service('db', 'app', { waypoint: 'wp' }),
          waypoint('wp', 'app'),
        ),
        'MSH402',
      ),
    ).toEqual([]);
  });
});

describe('MSH403 UDP, MSH404 hostNetwork, MSH405 reserved ports', () => {
  it('fire for UDP, hostNetwork and port 15006 in a meshed namespace', () => {
    expect(
      has(
        docs(ns('app', 'sidecar'), deploy('dns', 'app', { ports: [{ port: 53, protocol: 'UDP' }] })),
        'MSH403',
      ),
    ).toHaveLength(1);
    expect(
      has(docs(ns('app', 'sidecar'), deploy('agent', 'app', { hostNetwork: true })), 'MSH404'),
    ).toHaveLength(1);
    const reserved = has(
      docs(ns('app', 'sidecar'), deploy('odd', 'app', { ports: [{ port: 15006 }] })),
      'MSH405',
    );
    expect(reserved.map((f) => f.severity)).toEqual(['error']);
  });
  it('stay quiet for TCP on ordinary ports, pod networking, and unmeshed namespaces', () => {
    const text = docs(ns('app', 'sidecar'), deploy('api', 'app', { ports: [{ port: 8080 }] }));
    expect(has(text, 'MSH403')).toEqual([]);
    expect(has(text, 'MSH404')).toEqual([]);
    expect(has(text, 'MSH405')).toEqual([]);
    // Checked as labelled only (no what-if ambient): a namespace without mesh labels is out of scope.
    const { manifests } = parseManifests(
      docs(ns('plain'), deploy('dns', 'plain', { ports: [{ port: 53, protocol: 'UDP' }] })),
      't.yaml',
    );
    expect(
      checkManifests(manifests, ['t.yaml'], {}, ['as-labelled']).findings.filter((f) => f.code === 'MSH403'),
    ).toEqual([]);
  });
});

describe('MSH406 StatefulSet OnDelete', () => {
  it('fires for an injected StatefulSet with OnDelete', () => {
    expect(
      has(
        docs(ns('app', 'sidecar'), deploy('db', 'app', { kind: 'StatefulSet', updateStrategy: 'OnDelete' })),
        'MSH406',
      ),
    ).toHaveLength(1);
  });
  it('stays quiet for RollingUpdate', () => {
    expect(
      has(
        docs(
          ns('app', 'sidecar'),
          deploy('db', 'app', { kind: 'StatefulSet', updateStrategy: 'RollingUpdate' }),
        ),
        'MSH406',
      ),
    ).toEqual([]);
  });
});

const PDB = (spec: string) =>
  `apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: api\n  namespace: app\nspec:\n  selector:\n    matchLabels:\n      app: api\n${spec}`;

describe('MSH407 PodDisruptionBudget blocks drains', () => {
  it('fires when minAvailable equals the replicas (or maxUnavailable is 0)', () => {
    expect(
      has(docs(ns('app'), deploy('api', 'app', { replicas: 2 }), PDB('  minAvailable: 2\n')), 'MSH407'),
    ).toHaveLength(1);
    expect(
      has(docs(ns('app'), deploy('api', 'app', { replicas: 3 }), PDB('  maxUnavailable: 0\n')), 'MSH407'),
    ).toHaveLength(1);
    expect(
      has(docs(ns('app'), deploy('api', 'app', { replicas: 2 }), PDB('  minAvailable: "100%"\n')), 'MSH407'),
    ).toHaveLength(1);
  });
  it('stays quiet when one pod may go', () => {
    expect(
      has(docs(ns('app'), deploy('api', 'app', { replicas: 2 }), PDB('  minAvailable: 1\n')), 'MSH407'),
    ).toEqual([]);
    expect(
      has(docs(ns('app'), deploy('api', 'app', { replicas: 3 }), PDB('  maxUnavailable: "50%"\n')), 'MSH407'),
    ).toEqual([]);
  });
});

describe('scenario rules on manifests, with a calls overlay', () => {
  it('MSH401: a sidecar namespace calling a waypoint-bound ambient Service, reported at the caller manifest', () => {
    const text = docs(
      ns('front', 'sidecar'),
      ns('back', 'ambient'),
      deploy('web', 'front'),
      service('web', 'front'),
      deploy('api', 'back'),
      service('api', 'back', { waypoint: 'wp' }),
      waypoint('wp', 'back'),
    );
    const { manifests } = parseManifests(text, 'm.yaml');
    const overlay = {
      file: 'calls.yaml',
      data: {
        services: [{ name: 'web', calls: [{ to: 'api.back' }] }],
        traffic: [{ name: 'in', to: 'web.front', rate: '5/s' }],
      },
      locate: () => ({}),
    };
    const f = checkManifests(manifests, ['m.yaml'], {}, undefined, overlay).findings.filter(
      (x) => x.code === 'MSH401',
    );
    expect(f.map((x) => [x.object.kind, x.object.name, x.object.file])).toEqual([
      ['Service', 'web', 'm.yaml'],
    ]);
    // Without the overlay there are no calls, so nothing to say.
    expect(checkManifests(manifests, ['m.yaml']).findings.filter((x) => x.code === 'MSH401')).toEqual([]);
  });
});

describe('manifests without application workloads', () => {
  it('still get the manifest rules (here a Cilium setting)', () => {
    const text = docs(ns('app', 'ambient'), CILIUM({ 'cni-exclusive': 'true' }));
    expect(check(text).map((f) => f.code)).toContain('MSH202');
  });
});
