// The browser builds of vega, vega-lite and vega-embed, inlined so the report opens offline and makes
// no network request. vega's package.json is not exported, so each build is found beside the package's
// resolved entry module (all three keep it in build/).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

const BUILDS = [
  ['vega', 'vega.min.js'],
  ['vega-lite', 'vega-lite.min.js'],
  ['vega-embed', 'vega-embed.min.js'],
] as const;

let cached: string[] | undefined;

/** The three scripts, in load order (vega-embed expects the vega and vegaLite globals). */
export function vegaScripts(): string[] {
  cached ??= BUILDS.map(([pkg, file]) => {
    const code = readFileSync(join(dirname(require.resolve(pkg)), file), 'utf8');
    // A source-map comment would make developer tools fetch a file; `</script` would end the element.
    return code.replace(/\n\/\/# sourceMappingURL=.*$/gm, '').replace(/<\/script/gi, '<\\/script');
  });
  return cached;
}
