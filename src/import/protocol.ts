// The protocol of calls to a Service, as Istio selects it: the port's appProtocol, else the port name's
// prefix `<protocol>[-<suffix>]` (istio.io/latest/docs/ops/configuration/traffic-management/protocol-selection/).
import type { KubeService } from './inventory.ts';

type Protocol = 'http1' | 'http2' | 'grpc' | 'tcp';

/** Istio's protocol names -> the scenario's; TLS and databases are opaque TCP to the proxies. */
const BY_NAME: Record<string, Protocol> = {
  http: 'http1',
  http2: 'http2',
  'kubernetes.io/h2c': 'http2',
  grpc: 'grpc',
  'grpc-web': 'grpc',
  https: 'tcp',
  tls: 'tcp',
  tcp: 'tcp',
  mongo: 'tcp',
  mysql: 'tcp',
  redis: 'tcp',
};

export function serviceProtocol(s: KubeService): { protocol: Protocol; why: string } | undefined {
  const port = s.ports[0];
  if (!port) return undefined;
  if (port.protocol === 'UDP' || port.protocol === 'SCTP') return undefined;
  const declared = port.appProtocol?.toLowerCase();
  if (declared && BY_NAME[declared])
    return { protocol: BY_NAME[declared], why: `appProtocol ${port.appProtocol} of Service ${s.name}` };
  const prefix = port.name?.toLowerCase().split('-')[0];
  const named = port.name?.toLowerCase().startsWith('grpc-web')
    ? 'grpc'
    : prefix
      ? BY_NAME[prefix]
      : undefined;
  if (named) return { protocol: named, why: `port name ${port.name} of Service ${s.name}` };
  return undefined;
}
