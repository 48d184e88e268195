// MSH408: ztunnel, waypoint and ingress gateway resources too small for the load the scenario simulates. A first-order
// estimate (mean CPU = rate x per-request cost, spread evenly over nodes or replicas), the same cost
// model the simulation uses (mesh.*.cost); the simulation itself shows the queueing it causes.
import { serviceIngressWaypoint } from '../mesh/index.ts';
import type { Autoscaling, ResourceSpec, Scenario } from '../scenario/index.ts';
import type { Finding } from './finding.ts';
import { type EdgeRate, edgeRates } from './load.ts';
import type { Rule } from './rule.ts';
import { clientModes, serviceModes, waypointOf } from './scenario-modes.ts';

interface Verdict {
  severity: 'warning' | 'error';
  text: string;
}

function judge(
  cpu: number,
  request: number,
  limit: number | undefined,
  workers: number,
): Verdict | undefined {
  const ceiling = Math.min(limit ?? Number.POSITIVE_INFINITY, workers);
  if (cpu > ceiling)
    return {
      severity: 'error',
      text: `needs ${cpu.toFixed(2)} cores but is capped at ${ceiling.toFixed(2)} (${limit !== undefined && limit < workers ? 'CPU limit' : 'worker threads'}): it saturates and latency grows without bound`,
    };
  if (cpu > request)
    return {
      severity: 'warning',
      text: `needs ${cpu.toFixed(2)} cores, more than its ${request.toFixed(2)} requested: it depends on idle CPU on the node`,
    };
  return undefined;
}

/**
 * An Envoy Deployment (a waypoint, the ingress gateway) carrying `cpu` cores over its replicas, judged per
 * replica at the most it runs (its HPA's maximum). Unset workers: its CPU limit rounded up, as pilot-agent
 * derives them (mesh/workers.ts); without a limit pilot-agent takes the node's cores, which a scenario-wide
 * rule does not know: ASSUMPTION, 2.
 */
function judgeEnvoy(
  cpu: number,
  d: { replicas: number; autoscaling?: Autoscaling | null; resources: ResourceSpec; workers?: number },
): { n: number; verdict: Verdict | undefined } {
  const n = d.autoscaling ? d.autoscaling.maxReplicas : d.replicas;
  const limit = d.resources.limits?.cpu;
  const verdict = judge(
    cpu / Math.max(1, n),
    d.resources.requests.cpu,
    limit,
    d.workers ?? Math.ceil(limit ?? 2),
  );
  return { n, verdict };
}

export const capacityRule: Rule = {
  code: 'MSH408',
  check(ctx) {
    const s = ctx.scenario;
    if (!s) return [];
    const nodes = s.cluster.nodePools.reduce((n, p) => n + p.count, 0);
    const z = s.mesh.ztunnel;
    const w = s.mesh.waypoint;
    let ztunnelCpu = 0;
    const waypointCpu = new Map<string, number>();
    let gatewayCpu = 0;
    for (const e of edgeRates(s)) {
      const calleeAmbient = serviceModes(ctx, s, e.to).has('ambient');
      // Load generators in ambient (or in the target's mode) pass their own node's ztunnel too.
      const callerAmbient =
        e.from !== undefined
          ? serviceModes(ctx, s, e.from).has('ambient')
          : e.entry !== undefined && clientModes(ctx, s, e.entry).has('ambient');
      const hops = (calleeAmbient ? 1 : 0) + (callerAmbient ? 1 : 0);
      ztunnelCpu += e.rate * hops * (z.cost.cpuPerRequest + z.cost.cpuPerKiB * e.kib);
      const ingress = e.entry?.via === 'ingress';
      if (ingress) gatewayCpu += e.rate * gatewayCost(s, e);
      // The ingress gateway goes to the service's pods unless the service opts in (MSH415).
      const wp = calleeAmbient && (!ingress || ingressWaypoint(s, e.to)) ? waypointOf(s, e.to) : undefined;
      if (wp)
        waypointCpu.set(
          wp,
          (waypointCpu.get(wp) ?? 0) + e.rate * (w.cost.cpuPerRequest + w.cost.cpuPerKiB * e.kib),
        );
    }
    const out: Finding[] = [];
    const perNode = ztunnelCpu / Math.max(1, nodes);
    // Unset workers: ztunnel runs 2 up to 1.30 (src/mesh/workers.ts), an Envoy its CPU limit rounded up.
    const zv = judge(perNode, z.resources.requests.cpu, z.resources.limits?.cpu, z.workers ?? 2);
    if (zv)
      out.push({
        code: 'MSH408',
        severity: zv.severity,
        title: 'ztunnel too small for the simulated load',
        object: { kind: 'Mesh', name: 'ztunnel' },
        message: `each of ${nodes} ztunnels ${zv.text} (mean over nodes; a hot node needs more)`,
        architectures: {
          ambient:
            'every ambient pod on the node shares this ztunnel: its queueing delays all of their traffic',
        },
        action: 'raise mesh.ztunnel.resources (and workers) or spread the load over more nodes',
        reference:
          'https://istio.io/latest/docs/ops/deployment/performance-and-scalability/ (ztunnel CPU per request); mesh.ztunnel.cost in this scenario',
      });
    for (const [name, cpu] of waypointCpu) {
      const wp = s.waypoints.find((x) => x.name === name);
      if (!wp) continue;
      const { n, verdict: v } = judgeEnvoy(cpu, wp);
      if (!v) continue;
      out.push({
        code: 'MSH408',
        severity: v.severity,
        title: 'waypoint too small for the simulated load',
        object: ctx.locate('waypoint', name),
        message: `each of ${replicasText(n, wp.autoscaling)} of waypoint ${name} ${v.text}`,
        architectures: { ambient: 'every call to the services bound to it waits in its queue' },
        action: `raise replicas or resources of waypoint ${name}, or its autoscaling's maxReplicas`,
        reference:
          'https://istio.io/latest/docs/ops/deployment/performance-and-scalability/ (waypoint CPU per request); mesh.waypoint.cost in this scenario',
      });
    }
    const g = s.mesh.ingressGateway;
    const { n: gn, verdict: gv } =
      gatewayCpu > 0 ? judgeEnvoy(gatewayCpu, g) : { n: g.replicas, verdict: undefined };
    if (gv)
      out.push({
        code: 'MSH408',
        severity: gv.severity,
        title: 'ingress gateway too small for the simulated load',
        object: { kind: 'Mesh', name: 'ingressGateway' },
        message: `each of ${replicasText(gn, g.autoscaling)} of the ingress gateway ${g.namespace}/${g.name} ${gv.text}`,
        architectures: { none: QUEUED, sidecar: QUEUED, ambient: QUEUED },
        action:
          'raise mesh.ingressGateway replicas or resources, or give it autoscaling (the istio/gateway chart has an HPA)',
        reference:
          "mesh.ingressGateway.cost in this scenario (a waypoint's per-request cost by default, an assumption); a TLS handshake per new client connection with tls: true",
      });
    return out;
  },
};

const QUEUED = 'every request of the entry points through it waits in its queue';

function replicasText(n: number, a: Autoscaling | null | undefined): string {
  return a ? `its HPA's ${n} replicas at most` : `${n} replica(s)`;
}

/** Gateway CPU per request of an entry through it: its hop, and a TLS handshake per request on a connection per request. */
function gatewayCost(s: Scenario, e: EdgeRate): number {
  const c = s.mesh.ingressGateway.cost;
  const perRequestConnection = e.entry?.connection.type === 'per-request';
  return (
    c.cpuPerRequest + c.cpuPerKiB * e.kib + (e.entry?.tls && perRequestConnection ? c.cpuPerHandshake : 0)
  );
}

function ingressWaypoint(s: Scenario, key: string): boolean {
  const svc = s.services.find((x) => x.key === key);
  return svc !== undefined && serviceIngressWaypoint(s, svc);
}
