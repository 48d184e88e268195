// `meshsim merge`: the shares of a sharded plan joined into the plan one machine computes, byte for byte
// once printed. Refuses shares that do not belong together (another scenario, settings, meshsim version,
// share count or assignment) and a share missing or given twice, so a merged plan is never partial.
import { canonicalJson } from '../scenario/hash.ts';
import { PlanInputError } from './errors.ts';
import { joinRows } from './rows.ts';
import { type PlanShard, planChains, SHARD_SCHEMA } from './shard.ts';
import { PLAN_SCHEMA, type Plan, type PlanRow } from './types.ts';

export interface NamedShard {
  /** Where the share came from, for messages. */
  name: string;
  value: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Why `v` is not a share, or '' when it has a share's shape. */
function notShard(v: unknown): string {
  if (!isObject(v) || v.schema !== SHARD_SCHEMA) return `found no schema "${SHARD_SCHEMA}"`;
  const sh = v.shard;
  if (
    !isObject(sh) ||
    !Number.isInteger(sh.index) ||
    !Number.isInteger(sh.count) ||
    !Array.isArray(sh.assignment)
  )
    return 'found no shard { index, count, assignment }';
  const p = v.plan;
  if (!isObject(p) || p.schema !== PLAN_SCHEMA || !Array.isArray(p.rows) || !isObject(p.settings))
    return `found no plan of schema "${PLAN_SCHEMA}" with rows`;
  if (!isObject(p.scenario) || typeof p.scenario.hash !== 'string') return 'found no scenario hash';
  const st = p.settings;
  if (!(Array.isArray(st.growth) && Array.isArray(st.architectures) && Array.isArray(st.instanceTypes)))
    return 'found no settings { growth, architectures, instanceTypes }';
  return '';
}

/** The parts every share of one plan carries alike, with how to name each in a message. */
const AGREED: Array<[string, (x: PlanShard) => unknown]> = [
  ['scenario hash', (x) => x.plan.scenario.hash],
  ['meshsim version', (x) => x.plan.meshsimVersion],
  ['scenario', (x) => x.plan.scenario],
  ['settings', (x) => x.plan.settings],
  ['share count', (x) => x.shard.count],
  ['assignment of chains to shares', (x) => x.shard.assignment],
];

const show = (v: unknown) => (typeof v === 'object' ? canonicalJson(v) : String(v));

export function mergeShards(inputs: readonly NamedShard[]): Plan {
  if (inputs.length === 0) throw new PlanInputError('merge: no plan shares given');
  const shards: Array<PlanShard & { name: string }> = [];
  for (const { name, value } of inputs) {
    const why = notShard(value);
    if (why)
      throw new PlanInputError(`${name}: ${why}, expected a share written by \`meshsim plan --shard I/N\``);
    shards.push({ ...(value as PlanShard), name });
  }
  const first = shards[0]!;
  for (const x of shards.slice(1)) {
    for (const [what, get] of AGREED) {
      const a = show(get(first));
      const b = show(get(x));
      if (a !== b) {
        const values = a.length + b.length > 160 ? '' : ` (${b}, against ${a})`;
        throw new PlanInputError(
          `${x.name}: its ${what} is not ${first.name}'s${values}: shares of different plans cannot be merged`,
        );
      }
    }
  }
  const { count, assignment } = first.shard;
  const chains = planChains(first.plan.settings);
  if (
    assignment.length !== chains.length ||
    assignment.some((j) => !(Number.isInteger(j) && j >= 0 && j < count))
  )
    throw new PlanInputError(
      `${first.name}: assignment of ${assignment.length} chains to ${count} shares, expected ${chains.length} chains, each to a share from 0 to ${count - 1}`,
    );
  const byIndex = new Map<number, (typeof shards)[number]>();
  for (const x of shards) {
    const i = x.shard.index;
    if (!(i >= 0 && i < count))
      throw new PlanInputError(`${x.name}: share ${i}, expected one from 0 to ${count - 1}`);
    const seen = byIndex.get(i);
    if (seen) throw new PlanInputError(`${x.name}: share ${i}/${count} is also in ${seen.name}`);
    byIndex.set(i, x);
  }
  const missing: number[] = [];
  for (let i = 0; i < count; i++) if (!byIndex.has(i)) missing.push(i);
  if (missing.length > 0)
    throw new PlanInputError(
      `merge: share${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${count} missing; give every share (got ${shards.map((x) => x.name).join(', ')})`,
    );
  const rows: PlanRow[] = new Array(chains.length);
  for (const x of shards) {
    const mine = chains.map((_, k) => k).filter((k) => assignment[k] === x.shard.index);
    if (x.plan.rows.length !== mine.length)
      throw new PlanInputError(
        `${x.name}: ${x.plan.rows.length} rows, but share ${x.shard.index}/${count} has ${mine.length} chains`,
      );
    mine.forEach((k, j) => {
      const r = x.plan.rows[j]!;
      const c = chains[k]!;
      if (r.growth !== c.growth || r.architecture !== c.architecture || r.instanceType !== c.instanceType)
        throw new PlanInputError(
          `${x.name}: row ${j} is ${r.growth}x/${r.architecture}/${r.instanceType}, expected ${c.growth}x/${c.architecture}/${c.instanceType}`,
        );
      rows[k] = { ...r, savingsVsSidecar: null, cheapest: false };
    });
  }
  const { schema, meshsimVersion, scenario, settings } = first.plan;
  return { schema, meshsimVersion, scenario, settings, ...joinRows(rows) };
}
