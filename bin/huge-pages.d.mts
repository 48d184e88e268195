/** See huge-pages.mjs. */
export function wantsHugePages(argv: string[], env?: NodeJS.ProcessEnv): boolean;
export function runWithHugePages(script: string, argv: string[]): Promise<number>;
export function hugePagesEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
