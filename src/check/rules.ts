// Every rule `meshsim check` runs, in code order.
import { authzL7Rule } from './authz-l7.ts';
import { capacityRule } from './capacity.ts';
import { ciliumExclusiveRule, ciliumSocketLbRule } from './cilium.ts';
import { daemonSetSidecarsRule } from './daemonset-sidecars.ts';
import { dnsRule } from './dns.ts';
import { ejectionCapRule } from './ejection-cap.ts';
import { eksSecurityGroupRule } from './eks.ts';
import { gkeQuotaRule } from './gke.ts';
import { hbonePortRule } from './hbone-port.ts';
import { headlessRule } from './headless.ts';
import { headlessTcpRule } from './headless-tcp.ts';
import { hpaSidecarRule } from './hpa-sidecar.ts';
import { ingressBypassRule } from './ingress-bypass.ts';
import { l7CallsRule, observabilityRule } from './observability.ts';
import { onDeleteRule } from './ondelete.ts';
import { passthroughRule } from './passthrough.ts';
import { pdbRule } from './pdb.ts';
import { hostNetworkRule, reservedPortRule, udpRule } from './ports.ts';
import { probeRule } from './probes.ts';
import { proxyMemoryRule } from './proxy-memory.ts';
import type { Rule } from './rule.ts';
import { shadowedPolicyRule } from './shadowed-policy.ts';
import { sidecarScopeRule } from './sidecar-scope.ts';
import { sidecarBypassRule } from './sidecar-waypoint.ts';
import { strictMtlsRule } from './strict-mtls.ts';

export const RULES: readonly Rule[] = [
  probeRule,
  hbonePortRule,
  authzL7Rule,
  ciliumSocketLbRule,
  ciliumExclusiveRule,
  eksSecurityGroupRule,
  gkeQuotaRule,
  dnsRule,
  observabilityRule,
  l7CallsRule,
  sidecarBypassRule,
  headlessRule,
  udpRule,
  hostNetworkRule,
  reservedPortRule,
  onDeleteRule,
  pdbRule,
  capacityRule,
  proxyMemoryRule,
  sidecarScopeRule,
  strictMtlsRule,
  passthroughRule,
  shadowedPolicyRule,
  ejectionCapRule,
  ingressBypassRule,
  daemonSetSidecarsRule,
  hpaSidecarRule,
  headlessTcpRule,
];
