// The assumptions behind every run, stated in the results so a reader of a chart knows what is modelled
// and what is taken as given (defaults marked A in scenario/defaults.ts; each can be overridden).
export const MODEL_ASSUMPTIONS: readonly string[] = [
  'Proxy CPU and hop latency are calibrated to Istio 1.24 (CPU, memory) and 1.20/1.22 (latency) benchmarks at 1 KB, 1000 rps; other loads follow from the queueing model, not from fits.',
  'A request holds a proxy worker for its CPU time and leaves after its critical-path time; response processing is folded into that time (responses do not queue).',
  'The mTLS handshake costs 0.5 ms CPU on each side plus two round trips (assumption: no published figure).',
  'Network one-way delay: same node 20 us, same zone 100 us, across zones 500 us (assumption); bandwidth is not a bottleneck.',
  'Application service time is on-CPU time; application memory is taken as its request.',
  'Load generators (entry-point clients) request no resources; they are the test harness, not the workload.',
  'istiod CPU follows config pushes: 1 change/s, each naming one service at random, pushed to every connected proxy that needs it (a sidecar scoped to its callees only for the services it sees) at 0.5 ms per push (assumption fitted to Istio 1.20: 1 vCPU for 2000 sidecars); a change of a routing or policy object (none by default) is a full push to every waypoint and the sidecars that see its service, none to ztunnel.',
  'istio-cni uses 3m CPU and 40 MiB per node plus 0.1m CPU and 256 KiB per other pod on its node (assumption).',
  "Retries follow Istio's default policy for mesh.version (no reset after the request was sent; 503 only before 1.24); a ztunnel between the retrying Envoy and a failure passes it on unchanged (assumption).",
];
