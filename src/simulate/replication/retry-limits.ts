// Envoy's retry circuit breaker, per balancing Envoy and service cluster: a DestinationRule's
// connectionPool.http.maxRetries (max_retries) or, beside a connectionPool, its retryBudget (retry_budget;
// istio/istio 1.28.0 pilot/pkg/networking/core/cluster_traffic_policy.go; unset, max_retries is 2^32 - 1).
// A retry the policy wants is made only while the Envoy has fewer retries outstanding to the cluster than
// the limit; otherwise the call fails with the attempt's own failure (upstream_rq_retry_overflow). A
// retry is outstanding from that decision, through its back-off, until its attempt ends: the router's
// next retry decision releases it (resetRetry), or the end of the request (envoyproxy/envoy
// source/common/router/retry_state_impl.cc shouldRetry, resetRetry). A budget's limit is
// max(budget_percent / 100 x (active + pending requests), min_retry_concurrency), truncated, and replaces
// max_retries (source/common/upstream/resource_manager_impl.h RetryBudgetImpl::max).
import { holding } from '../grown.ts';
import type { Edge } from '../world/index.ts';
import type { CircuitBreakers } from './circuit-breakers.ts';
import type { Parts } from './parts.ts';

export class RetryLimits {
  /** Per cluster (Balancing.clusterOf): max_retries (Infinity: none), a budget's percent (-1: none), floor. */
  private readonly maxRetries: Float64Array;
  private readonly percent: Float64Array;
  private readonly floor: Float64Array;
  /** Retries outstanding per balancing Envoy's block (Balancing.block). */
  private readonly out: Int32Array;
  /** By call id: the block whose retry it holds, -1 if none. */
  private held = new Int32Array(0);
  private readonly p: Parts;
  private readonly breakers: CircuitBreakers;
  /** Whether any service limits retries: where none does, the request path never asks. */
  readonly any: boolean;

  constructor(p: Parts, breakers: CircuitBreakers) {
    this.p = p;
    this.breakers = breakers;
    const policies = p.balancing.clusterPolicies;
    this.maxRetries = Float64Array.from(policies, (x) => x?.maxRetries ?? Number.POSITIVE_INFINITY);
    this.percent = Float64Array.from(policies, (x) => x?.retryBudget?.percent ?? -1);
    this.floor = Float64Array.from(policies, (x) => x?.retryBudget?.minRetryConcurrency ?? 0);
    const budgets = this.percent.some((x) => x >= 0);
    this.any = budgets || this.maxRetries.some((x) => x < Number.POSITIVE_INFINITY);
    // A budget scales with the requests the Envoy has active to the cluster.
    if (budgets) p.balancing.trackRequests();
    this.out = new Int32Array(this.any ? p.balancing.active.length : 0);
  }

  /**
   * The retry the policy wants for call `id` over `edge` (its attempt balanced by the Envoy whose counts
   * are block `block`): whether that Envoy's limit lets it, counting it outstanding when it does.
   */
  admit(id: number, edge: Edge, block: number): boolean {
    const c = this.p.balancing.clusterOf(block, edge.to);
    const outstanding = this.out[block]!;
    const percent = this.percent[c]!;
    let limit = this.maxRetries[c]!;
    if (percent >= 0) {
      const active = this.p.balancing.requests[block]! + this.breakers.pending(block);
      limit = Math.max(Math.trunc((percent / 100) * active), this.floor[c]!);
    }
    if (outstanding >= limit) return false;
    this.out[block] = outstanding + 1;
    this.held = holding(this.held, id);
    this.held[id] = block;
    return true;
  }

  /** Call `id`'s retry, if it holds one, is no longer outstanding (its attempt ended, or the call). */
  release(id: number): void {
    if (id >= this.held.length) return;
    const block = this.held[id]!;
    if (block < 0) return;
    this.held[id] = -1;
    this.out[block]!--;
  }
}
