// Writes scenarios/schema.json from the zod schema of the scenario file (`npx tsx scripts/gen-schema.ts`).
// test/scenario/schema.test.ts fails when the committed file and the schema drift apart.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scenarioJsonSchema } from '../src/scenario/index.ts';

const target = fileURLToPath(new URL('../scenarios/schema.json', import.meta.url));
writeFileSync(target, `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target}`);
