// MSH201, MSH202: Cilium settings that break Istio's traffic capture.

import type { Finding } from './finding.ts';
import { detectedNote } from './platform-text.ts';
import type { Rule } from './rule.ts';
import { meshInUse } from './scenario-modes.ts';

const CILIUM_ISTIO = 'https://docs.cilium.io/en/stable/network/servicemesh/istio/';
const PREREQ = 'https://istio.io/latest/docs/ambient/install/platform-prerequisites/#cilium';
/** CNIs built on Cilium (GKE Dataplane V2, Azure CNI powered by Cilium). ASSUMPTION: their managed settings follow Cilium's defaults. */
const CILIUM_BASED = new Set(['cilium', 'gke-dataplane-v2', 'azure-cilium']);

export const ciliumSocketLbRule: Rule = {
  code: 'MSH201',
  check(ctx) {
    const p = ctx.platform;
    if (!p.cni || !CILIUM_BASED.has(p.cni) || meshInUse(ctx).size === 0) return [];
    const kpr = p.cilium['kube-proxy-replacement'];
    const hostOnly = p.cilium['bpf-lb-sock-hostns-only'];
    const known = kpr !== undefined;
    if (known && (!['true', 'strict'].includes(kpr) || hostOnly === 'true')) return [];
    const f: Finding = {
      code: 'MSH201',
      severity: known ? 'error' : 'warning',
      title: 'Cilium socket load balancing rewrites Service addresses before the mesh sees them',
      object: { kind: 'CNI', name: p.cni },
      message: known
        ? `kube-proxy-replacement=${kpr} with bpf-lb-sock-hostns-only=${hostOnly ?? 'unset (false)'}${detectedNote(p)}`
        : `${p.cni} without its settings in the manifests: kube-proxy replacement and socket LB scope cannot be read${detectedNote(p)}`,
      architectures: {
        sidecar:
          'connect() to a Service IP is rewritten to a pod IP inside the pod: the sidecar sees pod IPs, Service-level routing and policy are skipped',
        ambient:
          'ztunnel is handed the pod IP, not the Service: waypoints bound to the Service and Service-level policy are bypassed',
      },
      action: 'set socketLB.hostNamespaceOnly=true (bpf-lb-sock-hostns-only: "true" in cilium-config)',
      reference: `${CILIUM_ISTIO} ; ${PREREQ}`,
    };
    return [f];
  },
};

export const ciliumExclusiveRule: Rule = {
  code: 'MSH202',
  check(ctx) {
    const p = ctx.platform;
    if (p.cni !== 'cilium' || !meshInUse(ctx).has('ambient')) return [];
    const v = p.cilium['cni-exclusive'];
    if (v === 'false') return [];
    return [
      {
        code: 'MSH202',
        severity: v === undefined && Object.keys(p.cilium).length === 0 ? 'warning' : 'error',
        title: "Cilium's exclusive CNI configuration removes istio-cni's chained plugin",
        object: { kind: 'CNI', name: 'cilium' },
        message: `cni-exclusive is ${v ?? 'unset (Cilium defaults to true)'}${detectedNote(p)}`,
        architectures: {
          sidecar: 'only matters when sidecars use istio-cni instead of the init container',
          ambient:
            'istio-cni is never called for new pods: they start outside the mesh (no ztunnel capture, no mTLS, policies not enforced)',
        },
        action: 'install Cilium with cni.exclusive=false',
        reference: PREREQ,
      },
    ];
  },
};
