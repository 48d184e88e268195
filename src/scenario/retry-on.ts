// The retry conditions a call's `retryOn` may name, as Envoy spells them (src/mesh/retry-policy.ts says
// what each retries). Here so the loader can check the list; undefined means Istio's default for mesh.version.
// https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/router_filter#x-envoy-retry-on

export const RETRY_ON = [
  'connect-failure',
  'reset-before-request',
  'reset',
  '5xx',
  'gateway-error',
  'retriable-status-codes',
  'refused-stream',
  'unavailable',
  'cancelled',
] as const;
export type RetryOn = (typeof RETRY_ON)[number];
