// A DestinationRule's trafficPolicy as the service's `trafficPolicy` (docs/scenario-format.md): outlier
// detection, locality load balancing, the circuit breakers meshsim simulates (http2MaxRequests,
// tcp.maxConnections, http1MaxPendingRequests, maxRetries), maxRequestsPerConnection, h2UpgradePolicy,
// useClientProtocol, the retry budget and tls.mode DISABLE or ISTIO_MUTUAL; every other field is named so the import can say it was
// read and dropped. Values istiod would refuse are dropped too, so the written scenario always loads
// (istio/istio 1.28.0 pkg/config/validation/validation.go validateOutlierDetection, validateConnectionPool;
// pkg/config/validation/agent/validation.go ValidateLocalityLbSetting).
import { INT32_MAX, LB_SIMPLE, parseDuration } from '../scenario/index.ts';
import { arr, isObj, type Json, num, obj, objs, str } from './fields.ts';

export interface DestinationPolicy {
  /** The service's trafficPolicy, when anything of it is kept. */
  policy?: Json;
  /** What was read and not kept, one phrase each. */
  dropped: string[];
}

const OUTLIER_COUNTS = ['consecutive5xxErrors', 'consecutiveGatewayErrors'] as const;
const OUTLIER_DURATIONS = ['interval', 'baseEjectionTime'] as const;

function duration(v: unknown): string | undefined {
  const s = str(v);
  if (s === undefined) return undefined;
  try {
    return parseDuration(s) > 0 ? s : undefined;
  } catch {
    return undefined;
  }
}

function count(v: unknown, max: number): number | undefined {
  const n = num(v);
  return n !== undefined && Number.isInteger(n) && n >= 0 && n <= max ? n : undefined;
}

function outlierDetection(raw: Json, dropped: string[]): Json | undefined {
  const out: Json = {};
  for (const [k, v] of Object.entries(raw)) {
    const c = (OUTLIER_COUNTS as readonly string[]).includes(k) ? count(v, 1_000_000) : undefined;
    const d = (OUTLIER_DURATIONS as readonly string[]).includes(k) ? duration(v) : undefined;
    const p = k === 'maxEjectionPercent' ? count(v, 100) : undefined;
    const kept = c ?? d ?? p;
    if (kept !== undefined) out[k] = kept;
    else dropped.push(`outlierDetection.${k}`);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function localityLbSetting(raw: Json, dropped: string[]): Json | undefined {
  const out: Json = {};
  if (typeof raw.enabled === 'boolean') out.enabled = raw.enabled;
  const failover = objs(raw.failover).filter((f) => str(f.from) && str(f.to) && f.from !== f.to);
  const distribute = objs(raw.distribute).filter(
    (d) =>
      str(d.from) &&
      isObj(d.to) &&
      Object.values(d.to).every((x) => Number.isInteger(x) && (x as number) >= 1 && (x as number) <= 100) &&
      Object.values(d.to).reduce((a: number, x) => a + (x as number), 0) === 100,
  );
  if (failover.length !== arr(raw.failover).length)
    dropped.push('localityLbSetting.failover (an invalid entry)');
  if (distribute.length !== arr(raw.distribute).length)
    dropped.push('localityLbSetting.distribute (an invalid entry)');
  if (failover.length > 0 && distribute.length > 0)
    dropped.push('localityLbSetting.distribute (beside failover)');
  else if (distribute.length > 0)
    out.distribute = distribute.map((d) => ({ from: str(d.from), to: { ...(d.to as Json) } }));
  if (failover.length > 0) out.failover = failover.map((f) => ({ from: str(f.from), to: str(f.to) }));
  for (const k of Object.keys(raw))
    if (!['enabled', 'failover', 'distribute'].includes(k)) dropped.push(`localityLbSetting.${k}`);
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The connectionPool fields meshsim simulates, by part (0 is Istio's unset). */
const BREAKERS: Record<string, readonly string[]> = {
  tcp: ['maxConnections'],
  http: [
    'http2MaxRequests',
    'http1MaxPendingRequests',
    'maxRetries',
    'maxRequestsPerConnection',
    'maxConcurrentStreams',
  ],
};

/**
 * retryBudget: percent (a percentage, 0..100 as Envoy takes it) and minRetryConcurrency; istiod applies it
 * only beside a connectionPool, which the scenario's normaliser repeats, so it is kept as written.
 */
function retryBudget(raw: Json, dropped: string[]): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(raw)) {
    const n = num(v);
    if (k === 'percent' && n !== undefined && n >= 0 && n <= 100) out.percent = n;
    else if (k === 'minRetryConcurrency' && count(v, 4_294_967_295) !== undefined) out[k] = v;
    else dropped.push(`retryBudget.${k}`);
  }
  return out;
}

/** connectionPool.http's protocol choices (h2UpgradePolicy, useClientProtocol), kept as written. */
function protocolChoice(k: string, v: unknown): unknown {
  if (k === 'h2UpgradePolicy' && ['DEFAULT', 'DO_NOT_UPGRADE', 'UPGRADE'].includes(v as string)) return v;
  if (k === 'useClientProtocol' && typeof v === 'boolean') return v;
  return undefined;
}

/** The least each connection lifetime takes (maxConnectionDuration: the CRD's 1ms), kept as written. */
const LIFETIMES: Record<string, number> = { idleTimeout: 0, maxConnectionDuration: 0.001 };

/** connectionPool's idleTimeout (http, tcp) or tcp.maxConnectionDuration, where it is a valid duration. */
function lifetime(k: string, v: unknown): unknown {
  const min = LIFETIMES[k];
  if (min === undefined || (typeof v !== 'string' && typeof v !== 'number')) return undefined;
  try {
    return parseDuration(v) >= min ? v : undefined;
  } catch {
    return undefined;
  }
}

function connectionPool(raw: Json, dropped: string[]): Json | undefined {
  const out: Json = {};
  for (const [part, fields] of Object.entries(raw)) {
    const kept: Json = {};
    for (const [k, v] of Object.entries(obj(fields))) {
      const choice =
        (part === 'http' ? protocolChoice(k, v) : undefined) ??
        (k === 'idleTimeout' || part === 'tcp' ? lifetime(k, v) : undefined);
      const n = BREAKERS[part]?.includes(k) ? count(v, INT32_MAX) : undefined;
      if (choice !== undefined) kept[k] = choice;
      else if (n === undefined) dropped.push(`connectionPool.${part}.${k}`);
      else if (n > 0) kept[k] = n;
    }
    if (Object.keys(kept).length > 0) out[part] = kept;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * loadBalancer.simple or .consistentHash as the scenario takes them: PASSTHROUGH, a hash without exactly one
 * key and both at once (which istiod's validation refuses) are dropped, so the scenario loads.
 */
function balancerOf(lb: Json, dropped: string[]): Json | undefined {
  const simple = lb.simple;
  const hash = lb.consistentHash;
  if (simple !== undefined && hash !== undefined) {
    dropped.push('loadBalancer.simple and consistentHash together (istiod refuses both)');
    return undefined;
  }
  if (typeof simple === 'string') {
    if (LB_SIMPLE.includes(simple as never) && simple !== 'PASSTHROUGH') return { simple };
    dropped.push(`loadBalancer.simple ${simple}`);
    return undefined;
  }
  if (!isObj(hash)) return undefined;
  const out: Json = {};
  if (typeof hash.httpHeaderName === 'string' && hash.httpHeaderName)
    out.httpHeaderName = hash.httpHeaderName;
  if (isObj(hash.httpCookie) && typeof hash.httpCookie.name === 'string')
    out.httpCookie = { name: hash.httpCookie.name };
  if (hash.useSourceIp === true) out.useSourceIp = true;
  if (typeof hash.httpQueryParameterName === 'string' && hash.httpQueryParameterName)
    out.httpQueryParameterName = hash.httpQueryParameterName;
  if (Object.keys(out).length !== 1) {
    dropped.push('loadBalancer.consistentHash without exactly one hash key');
    return undefined;
  }
  for (const x of Object.keys(hash)) if (!(x in out)) dropped.push(`loadBalancer.consistentHash.${x}`);
  return { consistentHash: out };
}

/** What of DestinationRule `spec.trafficPolicy` the service keeps, and what it drops. */
export function destinationPolicy(trafficPolicy: unknown): DestinationPolicy {
  const raw = obj(trafficPolicy);
  const dropped: string[] = [];
  const policy: Json = {};
  for (const [k, v] of Object.entries(raw)) {
    if (k === 'outlierDetection') {
      const od = outlierDetection(obj(v), dropped);
      if (od) policy.outlierDetection = od;
    } else if (k === 'loadBalancer') {
      const lb = obj(v);
      const locality =
        lb.localityLbSetting !== undefined
          ? localityLbSetting(obj(lb.localityLbSetting), dropped)
          : undefined;
      const balancer = balancerOf(lb, dropped);
      if (locality || balancer)
        policy.loadBalancer = { ...balancer, ...(locality ? { localityLbSetting: locality } : {}) };
      for (const x of Object.keys(lb))
        if (x !== 'localityLbSetting' && x !== 'simple' && x !== 'consistentHash')
          dropped.push(`loadBalancer.${x}`);
    } else if (k === 'connectionPool') {
      const pool = connectionPool(obj(v), dropped);
      if (pool) policy.connectionPool = pool;
    } else if (k === 'retryBudget' && isObj(v)) policy.retryBudget = retryBudget(v, dropped);
    else if (k === 'tls' && isObj(v)) {
      // DISABLE (plain text from the callers' Envoys) and ISTIO_MUTUAL are simulated; SIMPLE and MUTUAL,
      // TLS with the user's own certificates, are not.
      if (v.mode === 'DISABLE' || v.mode === 'ISTIO_MUTUAL') policy.tls = { mode: v.mode };
      else dropped.push(`tls.mode ${str(v.mode) ?? 'unset'}`);
      for (const x of Object.keys(v)) if (x !== 'mode') dropped.push(`tls.${x}`);
    } else dropped.push(k);
  }
  return { ...(Object.keys(policy).length > 0 ? { policy } : {}), dropped };
}
