// The proxy sections of an architecture's results: the busiest proxies, the busiest instance of each
// proxy class (what a DaemonSet must be sized for) and connection figures per class.
import type { World } from '../world/index.ts';
import { mean } from './estimate.ts';
import type { RepMeasure } from './measure.ts';
import type { ArchResult } from './results.ts';

const BUSIEST = 10;
/** The node of a standby pod's proxy its autoscaler never created. */
const NOT_SCHEDULED = '(not scheduled)';

type ProxySections = Pick<ArchResult, 'busiestProxies' | 'proxyMax' | 'connections'>;

export function proxySections(w: World, reps: RepMeasure[], window: number): ProxySections {
  const p = w.placement;
  const nodeName = (n: number) => (n >= 0 ? p.nodes[n]!.name : NOT_SCHEDULED);
  const order = [...Array(w.nProxies).keys()].sort(
    (a, b) => reps[0]!.proxies[b]!.utilisation - reps[0]!.proxies[a]!.utilisation || a - b,
  );
  const busiestProxies = order.slice(0, BUSIEST).map((px) => {
    const m = (f: (x: RepMeasure['proxies'][number]) => number) => mean(reps.map((r) => f(r.proxies[px]!)));
    return {
      name: w.proxyName[px]!,
      component: w.classes[w.proxyClass[px]!]!.component,
      node: nodeName(reps[0]!.proxies[px]!.node),
      utilisation: m((x) => x.utilisation),
      meanWait: m((x) => x.meanWait),
      maxWait: Math.max(...reps.map((r) => r.proxies[px]!.maxWait)),
      meanQueue: m((x) => x.meanQueue),
      requestsPerSecond: m((x) => x.requests) / window,
      cpu: m((x) => x.cpu),
      memory: m((x) => x.memory),
      openConnections: m((x) => x.open),
      handshakesPerSecond: m((x) => x.handshakes) / window,
    };
  });

  const proxyMax: ArchResult['proxyMax'] = {};
  for (let px = 0; px < w.nProxies; px++) {
    const c = w.classes[w.proxyClass[px]!]!.component;
    const cpu = mean(reps.map((r) => r.proxies[px]!.cpu));
    const memory = mean(reps.map((r) => r.proxies[px]!.memory));
    const cur = proxyMax[c];
    if (!cur || cpu > cur.cpu)
      proxyMax[c] = {
        cpu,
        memory: Math.max(memory, cur?.memory ?? 0),
        node: nodeName(reps[0]!.proxies[px]!.node),
      };
    else if (memory > cur.memory) cur.memory = memory;
  }

  const connections: ArchResult['connections'] = {};
  for (let px = 0; px < w.nProxies; px++) {
    const c = w.classes[w.proxyClass[px]!]!.component;
    const acc = (connections[c] ??= { handshakesPerSecond: 0, newConnectionsPerSecond: 0, open: 0 });
    acc.handshakesPerSecond += mean(reps.map((r) => r.proxies[px]!.handshakes)) / window;
    acc.newConnectionsPerSecond += mean(reps.map((r) => r.proxies[px]!.newConnections)) / window;
    acc.open += mean(reps.map((r) => r.proxies[px]!.open));
  }
  return { busiestProxies, proxyMax, connections };
}
