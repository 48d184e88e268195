// `--infer-calls`: who calls whom, guessed from container env values and arguments that name another
// Service (`http://reviews:9080`, `CART_SERVICE_ADDR=cartservice:7070`). Only proposed, as comments: an
// env var can name a service that is never called, and calls are often made to names built at runtime.
import type { Ingress } from './ingresses.ts';
import { hostKey } from './routing.ts';
import type { ImportedService, ServiceSet } from './services.ts';

export interface Proposal {
  /** Caller service key. */
  from: string;
  /** Callee service key; for an ingress gateway, each backend. */
  to: string;
  evidence: string;
  viaIngress?: string;
}

const URL = /\b(?:https?|grpc|h2c?):\/\/([a-z0-9]([-a-z0-9.]*[a-z0-9])?)(?::\d+)?/gi;
const HOST_PORT = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?):(\d{1,5})$/i;

function hostsIn(value: string): string[] {
  const out = [...value.matchAll(URL)].map((m) => m[1]!.toLowerCase());
  const hp = HOST_PORT.exec(value.trim());
  if (hp) out.push(hp[1]!.toLowerCase());
  return out;
}

/** The ingress Gateway whose proxy a client's host (as a Service key) reaches (Ingress.addresses). */
export function ingressByHost(ingresses: readonly Ingress[], key: string): Ingress | undefined {
  return ingresses.find((g) => g.addresses.includes(key));
}

export function inferCalls(set: ServiceSet, ingresses: readonly Ingress[]): Proposal[] {
  const keys = new Set(set.services.map((s) => s.key));
  const out: Proposal[] = [];
  const seen = new Set<string>();
  const push = (p: Proposal) => {
    const id = `${p.from}>${p.to}`;
    if (p.from === p.to || seen.has(id)) return;
    seen.add(id);
    out.push(p);
  };
  for (const s of set.services as ImportedService[]) {
    for (const w of s.workloads)
      for (const h of w.hints)
        for (const host of hostsIn(h.value)) {
          const key = hostKey(host, s.namespace);
          const target = set.alias.get(key) ?? key;
          const evidence = `${w.name}/${h.container} ${h.source}: ${h.value}`;
          if (keys.has(target)) push({ from: s.key, to: target, evidence });
          const g = ingressByHost(ingresses, key);
          if (g)
            for (const b of g.backends)
              push({
                from: s.key,
                to: set.alias.get(b) ?? b,
                evidence,
                viaIngress: `${g.namespace}/${g.name}`,
              });
        }
  }
  return out;
}
