// Builds the world of one architecture from the scenario and its placement (types.ts says what it holds).
import type { Placement } from '../../cluster/index.ts';
import {
  buildTemplates,
  EndpointKind,
  type ProtocolClass,
  proxyClasses,
  templateIndex,
} from '../../mesh/index.ts';
import type { Scenario } from '../../scenario/index.ts';
import { interarrival, makeDistribution } from '../../traffic/index.ts';
import { edgeTables } from './edges.ts';
import { memoryTables } from './memory.ts';
import { cpuTables } from './node-cpu.ts';
import { podTables } from './proxies.ts';
import type { Edge, World } from './types.ts';

/** Each service's index in the scenario, by key. */
export function serviceIndexOf(s: Scenario): Map<string, number> {
  return new Map(s.services.map((svc, i) => [svc.key, i]));
}

export function buildWorld(s: Scenario, placement: Placement): World {
  const zoneNames = [...new Set(placement.nodes.map((n) => n.zone))].sort();
  const regionNames = [...new Set(placement.nodes.map((n) => n.region))].sort();
  const serviceIndex = serviceIndexOf(s);
  const net = s.cluster.network;
  const classes = proxyClasses(s.mesh);
  const pods = podTables(placement, serviceIndex);
  return {
    scenario: s,
    placement,
    classes,
    templates: buildTemplates(s.mesh.ztunnel.hbonePoolStreams),
    nodeZone: Int32Array.from(placement.nodes, (n) => zoneNames.indexOf(n.zone)),
    nodeRegion: Int32Array.from(placement.nodes, (n) => regionNames.indexOf(n.region)),
    ...pods,
    ...cpuTables(s, placement, pods, classes),
    ...memoryTables(s, placement, pods, classes),
    ...edgeTables(s, placement, serviceIndex),
    delay: Float64Array.of(net.sameNode, net.sameZone, net.crossZone),
    criticalPath: classes.map((c) => makeDistribution(c.cost.criticalPath)),
    interarrival: s.traffic.map((e) => interarrival(e, s.simulation.duration)),
    thinkTime: s.traffic.map((e) =>
      e.closedLoop?.thinkTime ? makeDistribution(e.closedLoop.thinkTime) : null,
    ),
    reconnectBackoff: makeDistribution(s.lifecycle.reconnectBackoff),
    podStartup: makeDistribution(s.lifecycle.podStartup),
  };
}

/** The template a call over `edge` follows between endpoints of these kinds. */
export function templateFor(edge: Edge, srcKind: number, dstKind: number): number {
  return templateIndex(
    srcKind as EndpointKind,
    dstKind as EndpointKind,
    edge.waypointPods.length > 0,
    protoOf(edge, srcKind),
    edge.gatewayOwner !== null,
    edge.passthrough,
    edge.headless,
  );
}

/** The protocol the caller's side speaks upstream: a PassthroughCluster's is the application's own. */
function protoOf(edge: Edge, srcKind: number): ProtocolClass {
  return edge.passthrough > 0 && srcKind === EndpointKind.Sidecar ? edge.proto : edge.poolProto;
}

/** Whether the caller side picks the endpoint per request (an L7 proxy before the callee). */
export function lbPerRequest(w: World, edge: Edge, srcKind: number): boolean {
  const wp = edge.waypointPods.length > 0;
  const dstKind = wp ? EndpointKind.Captured : EndpointKind.Plain;
  const ingress = edge.gatewayOwner !== null;
  const proto = protoOf(edge, srcKind);
  const at = templateIndex(
    srcKind as EndpointKind,
    dstKind,
    wp,
    proto,
    ingress,
    edge.passthrough,
    edge.headless,
  );
  return w.templates[at]!.lbPerRequest;
}
