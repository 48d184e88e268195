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

export class UpstreamPools {
  /** Pooled connections open per pair. */
  open = new Int32Array(256);
  /** Streams (HBONE) or requests (Envoy) riding on them. */
  active = new Int32Array(256);
  originator = new Int32Array(256);
  terminator = new Int32Array(256);
  /** The pod at the far end of the pool (the endpoint, or the waypoint pod). */
  peer = new Int32Array(256);
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
    this.renewAt = new Float64Array(this.open.length);
  }

  /** Keeps when each pool went idle from now on (before the first request), for idle timeouts. */
  limitIdle(): void {
    this.idleSince = new Float64Array(this.open.length);
  }

  /** Keeps the credits of maxRequestsPerConnection from now on (before the first request). */
  limitRequests(): void {
    this.credit = new Int32Array(this.open.length);
  }

  /**
   * The pool of `originator` from source pod `src` (-1: an Envoy, whose pools are shared by all its
   * downstreams) to pod `peer`, terminated by `terminator` (a proxy id, or nProxies + pod).
   */
  pair(originator: number, terminator: number, src: number, peer: number): number {
    const i = this.index.intern(originator, src, peer);
    if (i === this.size) {
      this.size++;
      if (i === this.open.length) this.grow(i * 2);
      this.originator[i] = originator;
      this.peer[i] = peer;
    }
    // A rescheduled pod moves behind another node's ztunnel: its pool follows it.
    this.terminator[i] = terminator;
    return i;
  }

  /**
   * ztunnel's HBONE pool: a new downstream connection (`fresh`) becomes a new stream on the pair, and a
   * new pooled connection (an mTLS handshake when `tls`) once the streams outgrow `streamsPerConnection`
   * per connection. Returns NEW_CONNECTION | HANDSHAKE flags for the segment.
   */
  stream(pair: number, fresh: boolean, streamsPerConnection: number, tls: boolean): number {
    if (!fresh) return 0;
    if (++this.active[pair]! > this.open[pair]! * streamsPerConnection) {
      this.open[pair]!++;
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
    // Envoy closes an upstream connection that carried no request for idle_timeout (common_http_protocol_
    // options; source/common/http/codec_client.h onIdleTimeout, upstream_cx_idle_timeout). ASSUMPTION: a
    // pool's connections idle out together, once none has had a request for that long; one idle beside
    // busy ones stays.
    if (
      idleTimeout > 0 &&
      this.active[pair] === 0 &&
      this.open[pair]! > 0 &&
      now - this.idleSince[pair]! >= idleTimeout
    ) {
      this.closedIdle = this.open[pair]!;
      this.open[pair] = 0;
      if (this.credit.length > 0) this.credit[pair] = 0;
    }
    const inflight = ++this.active[pair]!;
    const flags = tls ? NEW_CONNECTION | HANDSHAKE : NEW_CONNECTION;
    const need = multiplexed ? (maxStreams > 0 ? Math.ceil(inflight / maxStreams) : 1) : inflight;
    if (this.open[pair]! < need) {
      // The pool's first connection sets when the pool next renews one (below).
      if (maxAge > 0 && this.open[pair] === 0) this.renewAt[pair] = now + maxAge;
      this.open[pair]!++;
      if (perConnection > 0) this.credit[pair]! += perConnection - 1;
      return flags;
    }
    // Envoy drains a connection that reached max_connection_duration and a new one takes its place
    // (common_http_protocol_options; conn_pool_base.cc onConnectionDurationTimeout,
    // upstream_cx_max_duration_reached). ASSUMPTION: the pool's connections reach it in turn, one every
    // maxAge / open, and the replacement falls on the first request after that.
    if (maxAge > 0 && now >= this.renewAt[pair]!) {
      this.renewAt[pair] = now + maxAge / this.open[pair]!;
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
    if (pair >= 0 && this.active[pair]! > 0 && --this.active[pair]! === 0 && this.idleSince.length > 0)
      this.idleSince[pair] = now;
  }

  /** A stream on the pool closes with its downstream connection. */
  streamClosed(originator: number, terminator: number, src: number, peer: number): void {
    this.active[this.pair(originator, terminator, src, peer)]!--;
  }

  /** Resets the pooled connections of every pool `match` accepts; returns how many were open. */
  reset(match: (originator: number, terminator: number, peer: number) => boolean): number {
    let n = 0;
    for (let i = 0; i < this.size; i++) {
      if (this.open[i]! > 0 && match(this.originator[i]!, this.terminator[i]!, this.peer[i]!)) {
        n += this.open[i]!;
        this.open[i] = 0;
        if (this.credit.length > 0) this.credit[i] = 0;
      }
    }
    return n;
  }

  private grow(n: number): void {
    this.open = grown(this.open, n);
    this.active = grown(this.active, n);
    this.originator = grown(this.originator, n);
    this.terminator = grown(this.terminator, n);
    this.peer = grown(this.peer, n);
    if (this.credit.length > 0) this.credit = grown(this.credit, n);
    if (this.idleSince.length > 0) this.idleSince = grown(this.idleSince, n);
    if (this.renewAt.length > 0) this.renewAt = grown(this.renewAt, n);
  }
}
