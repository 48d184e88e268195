// The ingress gateway Deployment (normalised mesh.ingressGateway).
import type { TrafficPolicy } from './traffic-policy.ts';
import type { Autoscaling, ProxyCost, ResourceSpec, RolloutSettings, Scheduling } from './types.ts';

export interface IngressGateway {
  namespace: string;
  name: string;
  replicas: number;
  resources: ResourceSpec;
  /** Envoy worker threads; unset: derived from the CPU limit as pilot-agent does (mesh/workers.ts). */
  workers?: number;
  cost: ProxyCost;
  /**
   * A HorizontalPodAutoscaler on its Deployment (`replicas` is then its starting point). None by default:
   * istiod's generated Gateway Deployment has none; the istio/gateway chart turns one on (1 to 5 at 80 %,
   * istio/istio 1.28.0 manifests/charts/gateway/values.yaml autoscaling), which a scenario says here.
   */
  autoscaling?: Autoscaling;
  /** nodeSelector, tolerations and topology rules of its pods (a dedicated gateway pool). */
  scheduling?: Scheduling;
}

/** The mesh settings of the entry and of mesh-wide traffic policy (part of MeshSettings). */
export interface MeshEntry {
  /**
   * The ingress gateway Deployment (istio-ingressgateway, or a Gateway API gateway's Deployment): it runs,
   * in every architecture, whenever an entry point says `via: ingress`.
   */
  ingressGateway: IngressGateway;
  /** A mesh-wide DestinationRule (the root namespace's): applies to services without their own. */
  trafficPolicy?: TrafficPolicy;
}

/** `upgrade: gateway`: a rolling restart of the ingress gateway Deployment (new image, rollout restart). */
export type GatewayUpgrade = { kind: 'upgrade'; at: number; target: 'gateway'; rollout: RolloutSettings };
