// `meshsim merge`: the shares of a sharded plan joined into the plan one machine computes, byte for
// byte once printed. Refuses shares that do not belong together (another scenario, settings, version or
// shard count), a share missing or given twice, so a merged plan is never silently partial.
import { canonicalJson } from '../scenario/hash.ts';
import { PlanInputError } from './errors.ts';
import { joinRows } from './rows.ts';
import { type PlanShard, planChains, SHARD_SCHEMA, shareOf, unjoined } from './shard.ts';
import { PLAN_SCHEMA, type Plan, type PlanRow } from './types.ts';

export interface NamedShard {
  /** Where the share came from, for messages. */
  name: string;
  value: unknown;
}

function isShard(v: unknown): v is PlanShard {
  const x = v as Partial<PlanShard> | null;
  return (
    typeof x === 'object' &&
    x !== null &&
    x.schema === SHARD_SCHEMA &&
    typeof x.shard === 'object' &&
    Number.isInteger(x.shard?.index) &&
    Number.isInteger(x.shard?.count) &&
    Number.isInteger(x.shard?.chains) &&
    Array.isArray(x.shard?.rows) &&
    x.plan?.schema === PLAN_SCHEMA &&
    Array.isArray(x.plan.rows) &&
    x.plan.rows.length === x.shard.rows.length
  );
}

/** Everything the shares must agree on: the plan they are parts of. */
function identity(x: PlanShard): string {
  const { meshsimVersion, scenario, settings } = x.plan;
  return canonicalJson({ meshsimVersion, scenario, settings, count: x.shard.count, chains: x.shard.chains });
}

export function mergeShards(inputs: readonly NamedShard[]): Plan {
  if (inputs.length === 0) throw new PlanInputError('merge: no plan shards given');
  const shards: Array<PlanShard & { name: string }> = [];
  for (const { name, value } of inputs) {
    if (!isShard(value))
      throw new PlanInputError(
        `${name}: found no plan shard, expected the JSON that \`meshsim plan --shard I/N\` writes (schema ${SHARD_SCHEMA})`,
      );
    shards.push({ ...value, name });
  }
  const first = shards[0]!;
  const { count, chains } = first.shard;
  const expected = planChains(first.plan.settings);
  if (expected.length !== chains)
    throw new PlanInputError(`${first.name}: ${chains} chains, but its settings make ${expected.length}`);
  const byIndex = new Map<number, (typeof shards)[number]>();
  for (const x of shards) {
    if (identity(x) !== identity(first))
      throw new PlanInputError(
        `${x.name}: a share of another plan than ${first.name} (scenario, settings, meshsim version or shard count differ)`,
      );
    const seen = byIndex.get(x.shard.index);
    if (seen) throw new PlanInputError(`${x.name}: shard ${x.shard.index}/${count} is also in ${seen.name}`);
    if (canonicalJson(x.shard.rows) !== canonicalJson(shareOf(expected, x.shard)))
      throw new PlanInputError(`${x.name}: its chains are not those of shard ${x.shard.index}/${count}`);
    byIndex.set(x.shard.index, x);
  }
  const missing: number[] = [];
  for (let i = 0; i < count; i++) if (!byIndex.has(i)) missing.push(i);
  if (missing.length > 0)
    throw new PlanInputError(
      `merge: shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${count} missing; give every share`,
    );
  const rows: PlanRow[] = new Array(chains);
  for (const x of shards)
    x.shard.rows.forEach((k, j) => {
      const r = x.plan.rows[j]!;
      const c = expected[k]!;
      if (r.growth !== c.growth || r.architecture !== c.architecture || r.instanceType !== c.instanceType)
        throw new PlanInputError(`${x.name}: row ${j} is not the chain its shard says it is`);
      rows[k] = unjoined(r);
    });
  const { schema, meshsimVersion, scenario, settings } = first.plan;
  return { schema, meshsimVersion, scenario, settings, ...joinRows(rows) };
}
