/** See bundle-current.mjs. */
export function bundleIsCurrent(root: URL): boolean;
