// Minimal manifests for the check rules: each test names exactly the objects that trigger (or do not
// trigger) one rule.
import { checkManifests, type Finding, type PlatformFlags } from '../../src/check/index.ts';
import { parseManifests } from '../../src/import/index.ts';

export function ns(name: string, mode?: 'ambient' | 'sidecar', extra: Record<string, string> = {}): string {
  const labels = {
    ...(mode === 'ambient'
      ? { 'istio.io/dataplane-mode': 'ambient' }
      : mode === 'sidecar'
        ? { 'istio-injection': 'enabled' }
        : {}),
    ...extra,
  };
  const l = Object.entries(labels)
    .map(([k, v]) => `\n    ${k}: "${v}"`)
    .join('');
  return `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}${l ? `\n  labels:${l}` : ''}\n`;
}

export interface DeployOpts {
  kind?: 'Deployment' | 'StatefulSet' | 'DaemonSet';
  replicas?: number;
  probe?: 'httpGet' | 'exec';
  ports?: Array<{ port: number; protocol?: string }>;
  hostNetwork?: boolean;
  updateStrategy?: string;
  podLabels?: Record<string, string>;
  env?: Record<string, string>;
  args?: string[];
  requests?: boolean;
}

export function deploy(name: string, namespace: string, o: DeployOpts = {}): string {
  const kind = o.kind ?? 'Deployment';
  const labels = { app: name, ...(o.podLabels ?? {}) };
  const ll = (ind: string) =>
    Object.entries(labels)
      .map(([k, v]) => `\n${ind}${k}: "${v}"`)
      .join('');
  const ports = (o.ports ?? [{ port: 8080 }])
    .map((p) => `\n            - containerPort: ${p.port}\n              protocol: ${p.protocol ?? 'TCP'}`)
    .join('');
  const probe =
    o.probe === 'httpGet'
      ? `\n          readinessProbe:\n            httpGet:\n              path: /healthz\n              port: 8080`
      : o.probe === 'exec'
        ? `\n          readinessProbe:\n            exec:\n              command: [cat, /tmp/ready]`
        : '';
  const env = Object.entries(o.env ?? {})
    .map(([k, v]) => `\n            - name: ${k}\n              value: "${v}"`)
    .join('');
  const res =
    o.requests === false
      ? ''
      : `\n          resources:\n            requests:\n              cpu: 100m\n              memory: 64Mi`;
  return `apiVersion: apps/v1
kind: ${kind}
metadata:
  name: ${name}
  namespace: ${namespace}
spec:${kind === 'DaemonSet' ? '' : `\n  replicas: ${o.replicas ?? 2}`}${o.updateStrategy ? `\n  updateStrategy:\n    type: ${o.updateStrategy}` : ''}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:${ll('        ')}
    spec:${o.hostNetwork ? '\n      hostNetwork: true' : ''}
      containers:
        - name: main
          image: example/${name}:1.0${o.args ? `\n          args: ${JSON.stringify(o.args)}` : ''}
          ports:${ports}${env ? `\n          env:${env}` : ''}${probe}${res}
`;
}

export function service(
  name: string,
  namespace: string,
  o: { headless?: boolean; waypoint?: string; port?: number; protocol?: string } = {},
): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${namespace}${o.waypoint ? `\n  labels:\n    istio.io/use-waypoint: ${o.waypoint}` : ''}
spec:${o.headless ? '\n  clusterIP: None' : ''}
  selector:
    app: ${name}
  ports:
    - port: ${o.port ?? 8080}
      protocol: ${o.protocol ?? 'TCP'}
`;
}

export function waypoint(name: string, namespace: string, forWhat = 'service'): string {
  return `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: ${name}
  namespace: ${namespace}
  labels:
    istio.io/waypoint-for: ${forWhat}
spec:
  gatewayClassName: istio-waypoint
  listeners:
    - name: mesh
      port: 15008
      protocol: HBONE
`;
}

/** An ingress NetworkPolicy on every pod of the namespace with the given rules (YAML under `ingress:`). */
export function netpol(name: string, namespace: string, ingress: string): string {
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  podSelector: {}
  policyTypes: [Ingress]
  ingress:
${ingress}`;
}

export function docs(...parts: string[]): string {
  return parts.join('---\n');
}

export function check(text: string, flags: PlatformFlags = {}): Finding[] {
  const { manifests, issues } = parseManifests(text, 'test.yaml');
  if (issues.length > 0) throw new Error(issues.map((i) => i.message).join('\n'));
  return checkManifests(manifests, ['test.yaml'], flags).findings;
}

export function codes(fs: readonly Finding[]): string[] {
  return [...new Set(fs.map((f) => f.code))].sort();
}
