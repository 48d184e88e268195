// A DestinationRule's traffic policy as far as meshsim models it: outlier detection and whether locality
// load balancing is on (Istio networking.v1 TrafficPolicy.outlierDetection and
// loadBalancer.localityLbSetting.enabled).
import { bool, duration, int, obj } from './fields.ts';

const outlierDetection = obj({
  consecutive5xxErrors: int(0, 1_000_000).optional(),
  consecutiveGatewayErrors: int(0, 1_000_000).optional(),
  interval: duration().optional(),
  baseEjectionTime: duration().optional(),
  maxEjectionPercent: int(0, 100).optional(),
});

export const trafficPolicy = obj({
  outlierDetection: outlierDetection.optional(),
  loadBalancer: obj({ localityLbSetting: obj({ enabled: bool().optional() }).optional() }).optional(),
});
