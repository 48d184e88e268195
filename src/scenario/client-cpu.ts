// The CPU a load generator spends per request and per connection (simulate/replication/client-cpu.ts
// runs it on the client pod's node); defaults in assumptions.ts.

/**
 * Core-seconds of a load generator's container: `perRequest` to build, send, receive and record one
 * request; `perConnection` to open (and later close) one TCP connection of its own.
 */
export interface ClientCpu {
  perRequest: number;
  perConnection: number;
  /**
   * Threads of an open-loop generator pod producing requests, each one at a time in the order planned
   * (wrk2 -t); a closed loop's connections each produce their own.
   */
  threads: number;
}
