// The shape of a checkpoint file, checked before a resumed plan trusts it: a file that was truncated,
// edited or copied from another job is recomputed, never priced (copying one checkpoint over the others
// once priced every row of a plan at the same $293.23).
import { z } from 'zod';

const finite = z.number().finite();
const quantile = z.enum(['p50', 'p99', 'p999']);
// A latency is NaN when nothing completed (a saturated count), written as null by JSON: read it back.
const latency = finite.nullable().transform((x) => x ?? Number.NaN);

const sample = z.object({
  nodes: z.number().int().nonnegative(),
  unschedulable: z.number().int().nonnegative(),
  cpu: z.object({ mean: finite, max: finite }),
  entryPoints: z.array(
    z.object({
      name: z.string(),
      p50: latency,
      p99: latency,
      p999: latency,
      slo: z.array(
        z.object({ quantile, target: finite, value: latency, met: z.boolean(), half: finite.optional() }),
      ),
      clientPace: finite.optional(),
    }),
  ),
  monthly: z.object({ nodes: finite, crossZone: finite, proxyFee: finite, total: finite }),
  meshShare: finite,
  memoryShortNodes: z.number().int().nonnegative(),
  memoryExcess: finite,
  crashLoops: z.array(z.string()).optional(),
  replications: z.number().int().positive(),
  usage: z.record(z.string(), finite),
  cpuRel: finite.optional(),
  ztunnelForBusiest: z
    .object({
      requests: z.object({ cpu: finite, memory: finite }),
      monthly: finite,
      defaultMonthly: finite,
    })
    .nullable(),
});

export const checkpointFile = z.object({
  key: z.string(),
  /** scenarioHash of the plan's scenario (after command-line overrides). */
  scenario: z.string(),
  sample,
});
