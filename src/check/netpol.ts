// Which ingress traffic a set of NetworkPolicies admits to a pod, as Kubernetes defines it
// (kubernetes.io/docs/concepts/services-networking/network-policies/): policies are additive; a pod no
// ingress policy selects admits everything; a rule without `from` admits every source, one without
// `ports` every port.
import {
  arr,
  type Inventory,
  type Json,
  type Manifest,
  namespaceOf,
  num,
  obj,
  objs,
  str,
} from '../import/index.ts';
import { selectsPod } from './selectors.ts';

function isIngressPolicy(spec: Json): boolean {
  const types = arr(spec.policyTypes).map((t) => str(t));
  return types.length === 0 ? true : types.includes('Ingress');
}

/** Ingress NetworkPolicies selecting a pod with these labels in this namespace. */
export function ingressPolicies(inv: Inventory, ns: string, labels: Record<string, string>): Manifest[] {
  return inv
    .of('NetworkPolicy')
    .filter(
      (m) =>
        namespaceOf(m) === ns &&
        isIngressPolicy(obj(m.body.spec)) &&
        selectsPod(obj(obj(m.body.spec).podSelector), labels),
    );
}

function ipv4(s: string): number | undefined {
  const p = s.split('.').map(Number);
  if (p.length !== 4 || p.some((x) => !Number.isInteger(x) || x < 0 || x > 255)) return undefined;
  return ((p[0]! << 24) >>> 0) + (p[1]! << 16) + (p[2]! << 8) + p[3]!;
}

export function cidrContains(cidr: string, ip: string): boolean {
  const [base, bits] = cidr.split('/');
  const a = ipv4(base ?? '');
  const b = ipv4(ip);
  const n = Number(bits ?? 32);
  if (a === undefined || b === undefined || !(n >= 0 && n <= 32)) return false;
  const mask = n === 0 ? 0 : (~0 << (32 - n)) >>> 0;
  return (a & mask) >>> 0 === (b & mask) >>> 0;
}

function portAllowed(rule: Json, port: number | string | undefined): boolean {
  const ports = objs(rule.ports);
  if (ports.length === 0 || port === undefined) return ports.length === 0;
  return ports.some((p) => {
    const v = num(p.port) ?? str(p.port);
    if (v === undefined) return true;
    const end = num(p.endPort);
    if (typeof v === 'number' && typeof port === 'number')
      return end !== undefined ? port >= v && port <= end : port === v;
    return String(v) === String(port);
  });
}

/** Whether some rule of these policies admits a source address to a port. */
export function admitsFromIp(
  policies: readonly Manifest[],
  ip: string,
  port: number | string | undefined,
): boolean {
  return policies.some((m) =>
    objs(obj(m.body.spec).ingress).some((rule) => {
      if (!portAllowed(rule, port)) return false;
      const from = objs(rule.from);
      if (from.length === 0) return true;
      return from.some((f) => {
        const block = obj(f.ipBlock);
        const cidr = str(block.cidr);
        if (!cidr || !cidrContains(cidr, ip)) return false;
        return !arr(block.except).some((e) => cidrContains(str(e) ?? '', ip));
      });
    }),
  );
}

/** Whether some rule admits a port from any in-cluster source (a pod or namespace selector, or everyone). */
export function admitsPort(policies: readonly Manifest[], port: number): boolean {
  return policies.some((m) => objs(obj(m.body.spec).ingress).some((rule) => portAllowed(rule, port)));
}

/** The ports the rules open (undefined: some rule opens every port). */
export function openedPorts(policies: readonly Manifest[]): string[] | undefined {
  const out: string[] = [];
  for (const m of policies)
    for (const rule of objs(obj(m.body.spec).ingress)) {
      const ports = objs(rule.ports);
      if (ports.length === 0) return undefined;
      for (const p of ports) out.push(String(num(p.port) ?? str(p.port) ?? 'all'));
    }
  return out;
}
