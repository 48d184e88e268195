// Proxies that refuse an attempt outright where it reaches them, before any hop work:
// - plain text at the callee's proxy under a STRICT PeerAuthentication (scenario/peer-authentication.ts): no
//   filter chain of the sidecar's inbound listener matches it, or the ztunnel's static strict policy
//   denies it. Plain text comes from callers outside the mesh, or from an Envoy whose DestinationRule says
//   tls.mode DISABLE (world Edge.envoyTls);
// - mTLS a DestinationRule insists on, at a sidecar whose PeerAuthentication is DISABLE (only plain-text
//   filter chains);
// - a caller's sidecar not given the callee under REGISTRY_ONLY (scenario/passthrough.ts): an HTTP call
//   gets its 502, a TCP connection is closed.
// A TLS mismatch closes the connection after the client sent its request: a reset the client sees, and a
// new connection for the next request. ASSUMPTION: refusing costs the proxy no CPU worth charging.
// Part of the request path (request-path.ts), whose failAt fails the attempt.
import type { CallTable } from '../calls.ts';
import { ENVOY_PLAIN, type HopStep, type World } from '../world/index.ts';
import type { Connections } from './connections.ts';
import * as kinds from './kinds.ts';
import type { Parts } from './parts.ts';
import type { Recorder } from './recorder.ts';
import * as retry from './retries.ts';
import type { Segments } from './segments.ts';

const TCP = kinds.TCP;
const BEFORE_SEND = retry.BEFORE_SEND;
const AFTER_SEND = retry.AFTER_SEND;

export class Refusals {
  private readonly w: World;
  private readonly calls: CallTable;
  private readonly conns: Connections;
  private readonly rec: Recorder;
  private readonly segments: Segments;
  /** The request path's failAt: the attempt failed at step `at`, seen as `seen` (retries.ts). */
  private readonly fail: (id: number, at: number, seen: number) => void;

  constructor(p: Parts, segments: Segments, fail: (id: number, at: number, seen: number) => void) {
    this.w = p.w;
    this.calls = p.calls;
    this.conns = p.connections;
    this.rec = p.recorder;
    this.segments = segments;
    this.fail = fail;
  }

  /**
   * Whether the proxy of attempt `id` at step `st` (one with plaintextIn, blackHole or envoyTlsIn where
   * Segments.envoyTls) refuses it; a refused attempt has failed there when this returns.
   */
  refused(id: number, st: HopStep): boolean {
    const k = this.calls;
    const edge = this.w.edges[k.edge[id]!]!;
    const sent = st.envoyTlsIn ? edge.envoyTls : 0;
    const plain = st.plaintextIn || sent === ENVOY_PLAIN;
    const mismatch = !st.blackHole && (plain ? this.w.services[edge.to]!.mtls === 'STRICT' : sent !== 0);
    if (!st.blackHole && !mismatch) return false;
    if (mismatch) this.rec.mtlsRefused(edge.id, k.measured[id] === 1);
    const slot = k.slot[id]!;
    if ((mismatch || edge.proto === TCP) && this.conns.openOf(slot) === 1)
      this.segments.closeSlot(slot, k.src[id]!);
    this.fail(id, k.step[id]!, mismatch ? AFTER_SEND : BEFORE_SEND);
    return true;
  }
}
