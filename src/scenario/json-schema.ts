// JSON Schema of the scenario FILE (the input side), for editors (yaml-language-server) and docs.
import { z } from 'zod';
import { unionOf } from './schema/alt.ts';
import { scenarioFile } from './schema/index.ts';

type Params = NonNullable<Parameters<typeof z.toJSONSchema>[1]>;

const PARAMS: Params = {
  io: 'input',
  target: 'draft-2020-12',
  unrepresentable: 'any',
  // Branch-picking schemas (alt.ts) parse as a transform; describe them by the union they stand for.
  override: (ctx) => {
    const union = unionOf(ctx.zodSchema);
    if (!union) return;
    const { $schema: _, ...json } = z.toJSONSchema(union, PARAMS) as Record<string, unknown>;
    for (const k of Object.keys(ctx.jsonSchema)) delete (ctx.jsonSchema as Record<string, unknown>)[k];
    Object.assign(ctx.jsonSchema, json);
  },
};

export function scenarioJsonSchema(): object {
  const json = z.toJSONSchema(scenarioFile, PARAMS) as Record<string, unknown>;
  const { $schema, ...rest } = json;
  return { $schema, title: 'meshsim scenario (meshsim/v1alpha1)', ...rest };
}
