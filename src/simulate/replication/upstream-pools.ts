// Connections a proxy keeps to its upstream peer, pooled: Envoy's per-endpoint upstream pools and
// ztunnel's HBONE pools (streams multiplexed over pooled mTLS connections). Keyed as each proxy keys them:
//   - Envoy pools per upstream host (the endpoint's address), whoever the downstream is;
//   - ztunnel per WorkloadKey { src_id, dst_id, dst, src }: source identity and IP, destination identity
//     and address ("Because we spoof the source IP, we need to key on this as well"), istio/ztunnel
//     src/proxy/pool.rs (1.28): a pool per (source pod, destination pod), not per pair of nodes.
// So a pool is (originator proxy, source pod or -1, peer pod) and remembers the terminating proxy; its
// state lives in typed arrays, so a dying proxy's or pod's pools can be found and reset. The decisions
// return bit flags, so nothing is allocated per hop.
import { TripleIndex } from '../../../sim/index.ts';
import { grown } from '../grown.ts';

/** The segment after the hop needs a new transport connection (or stream). */
export const NEW_CONNECTION = 1;
/** That new connection costs an mTLS handshake. */
export const HANDSHAKE = 2;
/** The new connection replaces one the pool closed (maxRequestsPerConnection): the open count stays. */
export const REPLACES = 4;

// A pair's fields, interleaved (STRIDE int32s, four pairs to a cache line): a request reads and writes
// its open and active counts and its terminator, one cache miss instead of three on a sidecar cluster's
// hundreds of thousands of pools.
/** Pooled connections open. */
const OPEN = 0;
/** Streams (HBONE) or requests (Envoy) riding on them. */
const ACTIVE = 1;
const TERMINATOR = 2;
const ORIGINATOR = 3;
const STRIDE = 4;

export class UpstreamPools {
  private f = new Int32Array(256 * STRIDE);
  /** The pod at the far end of each pool (the endpoint, or the waypoint pod). */
  private peer = new Int32Array(256);
  size = 0;
  /**
   * Requests the pool's open connections may still carry before their maxRequestsPerConnection, per pair
   * (kept only once limitRequests() is called).
   */
  private credit = new Int32Array(0);
  /** When each pair's last request ended with none left (kept only once limitIdle() is called). */
  private idleSince = new Float64Array(0);
  /** When each pair's next connection reaches its maxConnectionDuration (kept once limitAge() is called). */
  private renewAt = new Float64Array(0);
  /** Connections the last request() found closed by their idle timeout (the caller uncounts them). */
  closedIdle = 0;
  private readonly index = new TripleIndex();

  /** Keeps when each pool's connections age out from now on (before the first request). */
  limitAge(): void {
    this.renewAt = new Float64Array(this.peer.length);
  }

  /** Keeps when each pool went idle from now on (before the first request), for idle timeouts. */
  limitIdle(): void {
    this.idleSince = new Float64Array(this.peer.length);
  }

  /** Keeps the credits of maxRequestsPerConnection from now on (before the first request). */
  limitRequests(): void {
    this.credit = new Int32Array(this.peer.length);
  }

  /**
   * The pool of `originator` from source pod `src` (-1: an Envoy, whose pools are shared by all its
   * downstreams) to pod `peer`, terminated by `terminator` (a proxy id, or nProxies + pod).
   */
  pair(originator: number, terminator: number, src: number, peer: number): number {
    const i = this.index.intern(originator, src, peer);
    if (i === this.size) {
      this.size++;
      if (i === this.peer.length) this.grow(i * 2);
      this.f[i * STRIDE + ORIGINATOR] = originator;
      this.peer[i] = peer;
    }
    // A rescheduled pod moves behind another node's ztunnel: its pool follows it.
    this.f[i * STRIDE + TERMINATOR] = terminator;
    return i;
  }

  /** Connections open on pool `i`. */
  openOf(i: number): number {
    return this.f[i * STRIDE + OPEN]!;
  }
  /** Streams or requests riding on pool `i`'s connections. */
  activeOf(i: number): number {
    return this.f[i * STRIDE + ACTIVE]!;
  }
  originatorOf(i: number): number {
    return this.f[i * STRIDE + ORIGINATOR]!;
  }
  terminatorOf(i: number): number {
    return this.f[i * STRIDE + TERMINATOR]!;
  }
  peerOf(i: number): number {
    return this.peer[i]!;
  }

  /**
   * ztunnel's HBONE pool: a new downstream connection (`fresh`) becomes a new stream on the pair, and a
   * new pooled connection (an mTLS handshake when `tls`) once the streams outgrow `streamsPerConnection`
   * per connection. Returns NEW_CONNECTION | HANDSHAKE flags for the segment.
   */
  stream(pair: number, fresh: boolean, streamsPerConnection: number, tls: boolean): number {
    if (!fresh) return 0;
    const at = pair * STRIDE;
    if (++this.f[at + ACTIVE]! > this.f[at + OPEN]! * streamsPerConnection) {
      this.f[at + OPEN]!++;
      return tls ? NEW_CONNECTION | HANDSHAKE : NEW_CONNECTION;
    }
    return NEW_CONNECTION;
  }

  /**
   * Envoy's per-endpoint upstream pool: one more request in flight on the pair; a new connection when the
   * pool has fewer than one per request in flight (HTTP/1.1) or none at all (`multiplexed`: HTTP/2).
   * With `perConnection` (the cluster's max_requests_per_connection, 0: none) a connection closes after
   * that many requests, so one request in `perConnection` needs a new connection in place of a closed one
   * (REPLACES; envoyproxy/envoy source/common/conn_pool/conn_pool_base.cc, a client drains once its
   * remaining streams reach 0). ASSUMPTION: the pool's connections carry its requests in turn, so the
   * replacement falls on the request after every perConnection-th, not when that connection's last
   * response is done. With `maxStreams` (HTTP/2's max_concurrent_streams, 0: none) a multiplexed pool
   * opens another connection once its requests in flight outgrow that many per connection.
   */
  request(
    pair: number,
    multiplexed: boolean,
    tls: boolean,
    perConnection: number,
    maxStreams = 0,
    idleTimeout = 0,
    now = 0,
    maxAge = 0,
  ): number {
    this.closedIdle = 0;
    const f = this.f;
    const at = pair * STRIDE;
    // Envoy closes an upstream connection that carried no request for idle_timeout (common_http_protocol_
    // options; source/common/http/codec_client.h onIdleTimeout, upstream_cx_idle_timeout). ASSUMPTION: a
    // pool's connections idle out together, once none has had a request for that long; one idle beside
    // busy ones stays.
    if (
      idleTimeout > 0 &&
      f[at + ACTIVE] === 0 &&
      f[at + OPEN]! > 0 &&
      now - this.idleSince[pair]! >= idleTimeout
    ) {
      this.closedIdle = f[at + OPEN]!;
      f[at + OPEN] = 0;
      if (this.credit.length > 0) this.credit[pair] = 0;
    }
    const inflight = ++f[at + ACTIVE]!;
    const flags = tls ? NEW_CONNECTION | HANDSHAKE : NEW_CONNECTION;
    const need = multiplexed ? (maxStreams > 0 ? Math.ceil(inflight / maxStreams) : 1) : inflight;
    if (f[at + OPEN]! < need) {
      // The pool's first connection sets when the pool next renews one (below).
      if (maxAge > 0 && f[at + OPEN] === 0) this.renewAt[pair] = now + maxAge;
      f[at + OPEN]!++;
      if (perConnection > 0) this.credit[pair]! += perConnection - 1;
      return flags;
    }
    // Envoy drains a connection that reached max_connection_duration and a new one takes its place
    // (common_http_protocol_options; conn_pool_base.cc onConnectionDurationTimeout,
    // upstream_cx_max_duration_reached). ASSUMPTION: the pool's connections reach it in turn, one every
    // maxAge / open, and the replacement falls on the first request after that.
    if (maxAge > 0 && now >= this.renewAt[pair]!) {
      this.renewAt[pair] = now + maxAge / f[at + OPEN]!;
      return flags | REPLACES;
    }
    if (perConnection === 0) return 0;
    if (this.credit[pair]! > 0) {
      this.credit[pair]!--;
      return 0;
    }
    this.credit[pair] = perConnection - 1;
    return flags | REPLACES;
  }

  /** A request counted on `pair` is done at `now` (-1: none). */
  requestDone(pair: number, now = 0): void {
    if (pair < 0) return;
    const at = pair * STRIDE + ACTIVE;
    if (this.f[at]! > 0 && --this.f[at]! === 0 && this.idleSince.length > 0) this.idleSince[pair] = now;
  }

  /** A stream on the pool closes with its downstream connection. */
  streamClosed(originator: number, terminator: number, src: number, peer: number): void {
    this.f[this.pair(originator, terminator, src, peer) * STRIDE + ACTIVE]!--;
  }

  /** Resets the pooled connections of every pool `match` accepts; returns how many were open. */
  reset(match: (originator: number, terminator: number, peer: number) => boolean): number {
    let n = 0;
    const f = this.f;
    for (let i = 0; i < this.size; i++) {
      const at = i * STRIDE;
      if (f[at + OPEN]! > 0 && match(f[at + ORIGINATOR]!, f[at + TERMINATOR]!, this.peer[i]!)) {
        n += f[at + OPEN]!;
        f[at + OPEN] = 0;
        if (this.credit.length > 0) this.credit[i] = 0;
      }
    }
    return n;
  }

  private grow(n: number): void {
    this.f = grown(this.f, n * STRIDE);
    this.peer = grown(this.peer, n);
    if (this.credit.length > 0) this.credit = grown(this.credit, n);
    if (this.idleSince.length > 0) this.idleSince = grown(this.idleSince, n);
    if (this.renewAt.length > 0) this.renewAt = grown(this.renewAt, n);
  }
}
