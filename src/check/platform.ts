// The CNI, the cloud platform and the Istio version the CNI and DNS rules need. Read from the manifests
// where they say it (cilium-config, the aws-node DaemonSet, ztunnel's image tag), else from flags.
import { type Inventory, obj, objs, str } from '../import/index.ts';

export { CNIS, type Cni, PLATFORMS, type PlatformName } from './names.ts';

import type { Cni, PlatformName } from './names.ts';

export interface Platform {
  cni?: Cni;
  platform?: PlatformName;
  /** Istio minor version, e.g. 1.27. */
  istioVersion?: string;
  /** cilium-config data when present (kube-proxy-replacement, bpf-lb-sock-hostns-only, cni-exclusive). */
  cilium: Record<string, string>;
  /** aws-node container environment when present. */
  awsNode: Record<string, string>;
  /** Where these came from, for messages. */
  detected: string[];
}

export interface PlatformFlags {
  cni?: string;
  platform?: string;
  istioVersion?: string;
}

function daemonEnv(inv: Inventory, name: string): Record<string, string> | undefined {
  const ds = inv.workloads.find((w) => w.kind === 'DaemonSet' && w.name === name);
  if (!ds) return undefined;
  const env: Record<string, string> = {};
  for (const c of objs(obj(obj(obj(ds.manifest.body.spec).template).spec).containers))
    for (const e of objs(c.env)) {
      const k = str(e.name);
      const v = str(e.value);
      if (k && v !== undefined) env[k] = v;
    }
  return env;
}

function imageMinor(inv: Inventory, name: string): string | undefined {
  const w = inv.workloads.find((x) => x.name === name);
  for (const c of objs(obj(obj(obj(w?.manifest.body.spec).template).spec).containers)) {
    const tag = /:(\d+\.\d+)(\.\d+)?/.exec(str(c.image) ?? '');
    if (tag) return tag[1];
  }
  return undefined;
}

export function detectPlatform(inv: Inventory | undefined, flags: PlatformFlags): Platform {
  const detected: string[] = [];
  let cilium: Record<string, string> = {};
  let awsNode: Record<string, string> = {};
  let cni: Cni | undefined;
  let istioVersion: string | undefined;
  if (inv) {
    const cm = inv.of('ConfigMap').find((m) => m.name === 'cilium-config');
    if (cm) {
      cilium = Object.fromEntries(Object.entries(obj(cm.body.data)).map(([k, v]) => [k, str(v) ?? '']));
      cni = 'cilium';
      detected.push(`cilium-config (${cm.source.file}:${cm.source.line})`);
    } else if (inv.workloads.some((w) => w.kind === 'DaemonSet' && w.name === 'cilium')) {
      cni = 'cilium';
      detected.push('the cilium DaemonSet');
    }
    const env = daemonEnv(inv, 'aws-node');
    if (env) {
      awsNode = env;
      cni ??= 'aws-vpc-cni';
      detected.push('the aws-node DaemonSet');
    }
    if (!cni && inv.workloads.some((w) => w.kind === 'DaemonSet' && w.name === 'calico-node')) cni = 'calico';
    istioVersion = imageMinor(inv, 'ztunnel') ?? imageMinor(inv, 'istiod');
  }
  const flagCni = flags.cni as Cni | undefined;
  return {
    ...(flagCni ? { cni: flagCni } : cni ? { cni } : {}),
    ...(flags.platform
      ? { platform: flags.platform as PlatformName }
      : cni === 'aws-vpc-cni'
        ? { platform: 'eks' as const }
        : {}),
    ...((flags.istioVersion ?? istioVersion) ? { istioVersion: flags.istioVersion ?? istioVersion } : {}),
    cilium,
    awsNode,
    detected,
  };
}

/** `1.25` >= `1.24`: compares major.minor numerically. */
export function versionAtLeast(v: string, min: string): boolean {
  const [a = 0, b = 0] = v.split('.').map(Number);
  const [c = 0, d = 0] = min.split('.').map(Number);
  return a > c || (a === c && b >= d);
}
