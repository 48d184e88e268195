// What a sidecar's configuration holds: `mesh` (every service exported to its namespace, Istio's default
// SidecarScope), `callees` (a Sidecar resource listing what the workload calls), or the egress hosts of a
// Sidecar resource as written there (`./*`, `istio-system/*`), which meshsim matches as istiod does
// (src/scenario/visibility.ts).
import { z } from 'zod';
import { alt } from './alt.ts';
import { list, oneOf } from './fields.ts';

// istio/istio 1.28.0 pkg/config/validation/agent/validation.go ValidateNamespaceSlashWildcardHostname:
// `namespace/dnsName`, the namespace `*`, `.`, `~` or a DNS label; the name `*`, a `*.suffix` wildcard or
// a host name (validateSidecarOrGatewayHostnamePart: a wildcard only as the whole leftmost label).
const EGRESS_HOST =
  /^([*.~]|[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)\/(\*|(\*\.)?[a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/;
const HOST_EXPECTED =
  'an egress host namespace/dnsName, as in a Sidecar resource: the namespace *, ., ~ or a namespace name; the name *, *.suffix or a host name (api.shop.svc.cluster.local)';

export function egressHost() {
  return z.string({ error: HOST_EXPECTED }).regex(EGRESS_HOST, { error: HOST_EXPECTED });
}

const SCOPES = oneOf(['mesh', 'callees']);
const HOSTS = list(egressHost(), 1);

export function sidecarScope() {
  return alt<'mesh' | 'callees' | string[]>([SCOPES, HOSTS], (v) =>
    Array.isArray(v) ? { schema: HOSTS } : { schema: SCOPES },
  );
}

// A Service's networking.istio.io/exportTo entries and meshConfig.defaultServiceExportTo: `*` (every
// namespace), `.` (its own), `~` (none) or a namespace name (istio/istio 1.28.0 pkg/config/visibility).
const EXPORT_TO = /^([*.~]|[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)$/;
export const EXPORT_TO_EXPECTED = '*, ., ~ or a namespace name';

export function exportToEntry() {
  return z.string({ error: EXPORT_TO_EXPECTED }).regex(EXPORT_TO, { error: EXPORT_TO_EXPECTED });
}

export function isExportToEntry(v: string): boolean {
  return EXPORT_TO.test(v);
}
