// Named constants of the request path. The mesh and world enums are copied into module constants: reading
// them through an import binding costs a getter call per access under tsx's transform, on the hottest
// lines of the simulator.
import { Attach, EndpointKind, ProtocolClass, Upstream, ZTUNNEL } from '../../mesh/index.ts';
import { ConnType } from '../world/index.ts';

/** Where a call's attempt is (CallTable.phase). */
export const ON_THE_WAY_IN = 0;
/** Waiting for a worker of the called application. */
export const WAITING_FOR_APP = 1;
/** Holding an application worker (its service time, then its own calls). */
export const IN_APP = 2;
/** The application answered; the response is on its way back. */
export const ANSWERED = 3;

/** Where a hop's proxy lives (mesh/hops.ts Attach). */
export const SRC_POD = Attach.SrcPod;
export const SRC_NODE = Attach.SrcNode;
export const POOL = Attach.Pool;
export const DST_POD = Attach.DstPod;
export const DST_NODE = Attach.DstNode;
export const GATEWAY = Attach.Gateway;

/** How a hop opens the segment after it (mesh/hops.ts Upstream). */
export const ONE_TO_ONE = Upstream.OneToOne;
export const STREAM_OVER_POOL = Upstream.StreamOverPool;
export const PER_ENDPOINT_POOL = Upstream.PerEndpointPool;
export const DELIVER = Upstream.Deliver;

/** The ztunnel proxy class (mesh/classes.ts). */
export const ZTUNNEL_CLASS = ZTUNNEL;

/** Endpoint kinds (mesh/route.ts EndpointKind). */
export const SIDECAR_POD = EndpointKind.Sidecar;
export const PLAIN_POD = EndpointKind.Plain;
export const CAPTURED_POD = EndpointKind.Captured;

/** Caller connection policies (world ConnType). */
export const KEEP_ALIVE = ConnType.KeepAlive;
export const PER_REQUEST = ConnType.PerRequest;
export const LONG_LIVED = ConnType.LongLived;

/** Protocol classes (mesh/route.ts ProtocolClass). */
export const HTTP1 = ProtocolClass.Http1;
export const MULTIPLEXED = ProtocolClass.Multiplexed;
export const TCP = ProtocolClass.Tcp;

/** Slot of the applications in the CPU time series (Recorder.cpuBins). */
export const CPU_APP = 0;
/** Proxy class c is at slot CPU_PROXIES + c. */
export const CPU_PROXIES = 1;

/** Latency histograms cover 1 us to 1000 s: below any network hop, above any timeout worth simulating. */
export const LATENCY_RANGE = { lowest: 1e-6, highest: 1e3 } as const;

// What a node processor's job token says is done: token = index x 4 + kind (index: a call for a hop's
// on-path CPU and an application's CPU, a proxy for a hop's off-path CPU, a load generator's request
// slot for its CPU: client-cpu.ts).
export const HOP_ON_PATH = 0;
export const APP_CPU = 1;
export const HOP_OFF_PATH = 2;
export const CLIENT_CPU = 3;
