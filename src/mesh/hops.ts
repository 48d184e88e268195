// The primitive hops every architecture is rewritten into. The simulator executes these without knowing
// which architecture produced them: a hop is "the proxy attached to this pod / this node / that pool",
// with the connection policy of the segment it originates.

/** Where the proxy of a hop lives, relative to the call's endpoints. */
export const Attach = {
  /** The proxy inside the calling pod (a sidecar). */
  SrcPod: 0,
  /** The per-node proxy of the calling pod's node (a ztunnel). */
  SrcNode: 1,
  /** A replica of a shared proxy Deployment chosen per connection (a waypoint). */
  Pool: 2,
  /** The proxy inside the called pod. */
  DstPod: 3,
  /** The per-node proxy of the called pod's node. */
  DstNode: 4,
  /** The ingress gateway replica the external client's connection reached (chosen per connection). */
  Gateway: 5,
} as const;
export type Attach = (typeof Attach)[keyof typeof Attach];

/**
 * How a hop opens the segment after it, which decides when that segment needs a new transport connection
 * (and so a TCP set-up, possibly an mTLS handshake):
 * - PerEndpointPool: an L7 proxy keeps a pool of connections per upstream endpoint and reuses them across
 *   requests (Envoy for HTTP): new connections only when concurrency on the pair outgrows the pool.
 * - OneToOne: each downstream connection gets its own upstream connection (Envoy proxying raw TCP).
 * - StreamOverPool: each downstream connection becomes a stream multiplexed over a pooled mTLS connection
 *   to the peer (ztunnel's HBONE, at most `streamsPerConnection` streams per pooled connection).
 * - Deliver: the hop hands the request to the local application (loopback; not modelled as a segment).
 */
export const Upstream = { PerEndpointPool: 0, OneToOne: 1, StreamOverPool: 2, Deliver: 3 } as const;
export type Upstream = (typeof Upstream)[keyof typeof Upstream];

export interface HopStep {
  attach: Attach;
  /** Index into the run's proxy classes (see classes.ts). */
  proxyClass: number;
  /** A network link separates this hop from the previous position (false: same pod or node-local redirect). */
  linkBefore: boolean;
  /** The segment into this hop is mutually authenticated TLS (so a new connection on it is a handshake). */
  tlsIn: boolean;
  /**
   * The hop is the callee's own proxy (its sidecar or its node's ztunnel) and the segment into it is plain
   * text: a STRICT PeerAuthentication on the callee refuses it (scenario/peer-authentication.ts).
   */
  plaintextIn: boolean;
  /**
   * The segment into this hop (the callee's sidecar) is mTLS an Envoy originates (a sidecar's or the
   * gateway's), which a DestinationRule's tls.mode DISABLE, or a DISABLE PeerAuthentication auto mTLS
   * follows, turns into plain text (simulate/world Edge.envoyTls).
   */
  envoyTlsIn: boolean;
  /** The caller's sidecar refuses the call here: not given its callee, under REGISTRY_ONLY (passthrough.ts). */
  blackHole: boolean;
  upstream: Upstream;
  /** For StreamOverPool: streams one pooled connection carries. */
  streamsPerConnection: number;
  /** The upstream pool multiplexes requests (HTTP/2, gRPC): one connection per endpoint suffices. */
  multiplexed: boolean;
}

export interface RouteTemplate {
  /** Human-readable, e.g. "sidecar -> net -> sidecar". */
  name: string;
  steps: HopStep[];
  /** A network link separates the last position from the destination application. */
  linkToDst: boolean;
  /** An L7 proxy picks the endpoint per request (else the endpoint is fixed per connection). */
  lbPerRequest: boolean;
  /** The path contains an L7-capable proxy, so the call's L7 policy (retries, routing, authz) applies. */
  l7Capable: boolean;
  /**
   * The callee's service is bound to a waypoint but this caller does not go through it (a sidecar or an
   * out-of-mesh caller): the waypoint's L7 policy (authorization, routing) is not enforced for the call.
   */
  bypassesWaypoint: boolean;
  /** Its caller's sidecar is not given the callee: the PassthroughCluster's route (or REGISTRY_ONLY's). */
  passthrough: boolean;
}
