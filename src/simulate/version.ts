import { readFileSync } from 'node:fs';

/** meshsim's version, recorded in every result so a number can be traced to the code that made it. */
export const VERSION: string = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
).version;
