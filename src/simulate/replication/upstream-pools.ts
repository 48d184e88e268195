// Connections a proxy keeps to its upstream peer, pooled: Envoy's per-endpoint upstream pools and
// ztunnel's HBONE pools (streams multiplexed over pooled mTLS connections). Keyed by (originator,
// terminator) pair; a pair's state lives in typed arrays, and each pair remembers its two ends so a dying
// proxy's pools can be found and reset. The decisions return bit flags, so nothing is allocated per hop.
import { grown } from '../grown.ts';

/** The segment after the hop needs a new transport connection (or stream). */
export const NEW_CONNECTION = 1;
/** That new connection costs an mTLS handshake. */
export const HANDSHAKE = 2;

export class UpstreamPools {
  /** Pooled connections open per pair. */
  open = new Int32Array(256);
  /** Streams (HBONE) or requests (Envoy) riding on them. */
  active = new Int32Array(256);
  originator = new Int32Array(256);
  terminator = new Int32Array(256);
  size = 0;
  private readonly index = new Map<number, number>();
  private readonly width: number;

  /** `width` must exceed every terminator id. */
  constructor(width: number) {
    this.width = width;
  }

  pair(originator: number, terminator: number): number {
    const key = originator * this.width + terminator;
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.size++;
      if (i === this.open.length) this.grow(i * 2);
      this.originator[i] = originator;
      this.terminator[i] = terminator;
      this.index.set(key, i);
    }
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
   */
  request(pair: number, multiplexed: boolean, tls: boolean): number {
    const inflight = ++this.active[pair]!;
    if (this.open[pair]! < (multiplexed ? 1 : inflight)) {
      this.open[pair]!++;
      return tls ? NEW_CONNECTION | HANDSHAKE : NEW_CONNECTION;
    }
    return 0;
  }

  /** A request counted on `pair` is done (-1: none). */
  requestDone(pair: number): void {
    if (pair >= 0 && this.active[pair]! > 0) this.active[pair]!--;
  }

  /** A stream on the pair closes with its downstream connection. */
  streamClosed(originator: number, terminator: number): void {
    this.active[this.pair(originator, terminator)]!--;
  }

  /** Resets the pooled connections of every pair `match` accepts; returns how many were open. */
  reset(match: (originator: number, terminator: number) => boolean): number {
    let n = 0;
    for (let i = 0; i < this.size; i++) {
      if (this.open[i]! > 0 && match(this.originator[i]!, this.terminator[i]!)) {
        n += this.open[i]!;
        this.open[i] = 0;
      }
    }
    return n;
  }

  private grow(n: number): void {
    this.open = grown(this.open, n);
    this.active = grown(this.active, n);
    this.originator = grown(this.originator, n);
    this.terminator = grown(this.terminator, n);
  }
}
