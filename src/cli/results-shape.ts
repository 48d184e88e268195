// The outline of a results file (meshsim/results/v1) that `meshsim report` draws from: the objects and
// arrays the charts walk, checked before drawing so a truncated or hand-edited file is named as the
// user's input (exit 2) instead of failing inside the chart code. Loose on purpose: extra fields pass,
// and numbers that may be absent (a latency with no completions) may be null.
import { z } from 'zod';

const num = z.number().nullable();
const estimate = z.looseObject({ mean: num, lo: num, hi: num });
const latency = z.looseObject({
  p50: estimate,
  p90: estimate,
  p99: estimate,
  p999: estimate,
  cdf: z.array(z.tuple([z.number(), z.number()])),
});
const series = z.array(num);

const architecture = z.looseObject({
  architecture: z.string(),
  placement: z.looseObject({
    nodes: z.number(),
    unschedulable: z.array(z.looseObject({ name: z.string() })),
    perNode: z.array(z.looseObject({ name: z.string() })),
  }),
  components: z.array(
    z.looseObject({
      component: z.string(),
      cpu: z.looseObject({ used: estimate }),
      memory: z.looseObject({ used: estimate }),
    }),
  ),
  totals: z.looseObject({ cpuUsed: estimate, memoryUsed: estimate }),
  entryPoints: z.array(z.looseObject({ name: z.string(), latency })),
  edges: z.array(z.looseObject({ name: z.string() })),
  timeseries: z.looseObject({
    t: z.array(z.number()),
    requests: series,
    errors: series,
    p99: series,
    cpu: z.record(z.string(), series),
    ready: series,
  }),
  disruption: z.looseObject({ events: z.array(z.looseObject({})) }),
});

const results = z.looseObject({
  scenario: z.looseObject({ name: z.string(), seed: z.number(), replications: z.number() }),
  architectures: z.array(architecture).min(1),
  deltas: z.array(z.looseObject({ metric: z.string() })),
});

/** Where a results file departs from the outline ("architectures[0].timeseries.t: ..."), if it does. */
export function shapeProblem(json: unknown): string | undefined {
  const schema = (json as { schema?: unknown }).schema;
  if (typeof schema !== 'string' || !schema.startsWith('meshsim/results/')) return undefined;
  const r = results.safeParse(json);
  if (r.success) return undefined;
  const issue = r.error.issues[0]!;
  const path = issue.path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i > 0 ? '.' : ''}${String(p)}`))
    .join('');
  return `${path || '<root>'}: ${issue.message}`;
}
