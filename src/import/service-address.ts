// How a Service is addressed, carried over to its scenario service: headless (clusterIP: None), and the
// spec.trafficDistribution and spec.internalTrafficPolicy that steer kube-proxy's ClusterIP rules. A
// headless Service has no such rules: its callers connect to the pods its DNS answer names, every ready
// one, so those fields are read and noted; its sidecars' clusters are ORIGINAL_DST, so a weighted route's
// subsets all reach the dialled pod (scenario/normalise/services.ts headlessConflicts).
import { isTrafficDistribution } from '../scenario/index.ts';
import type { Json } from './fields.ts';
import type { Notes, Path } from './notes.ts';
import type { ImportedService } from './services.ts';

const UNREAD = 'read, ignored on a headless Service (DNS names every ready pod)';

/** Marks a headless service; returns whether `raw`'s versions still carry the route's weights. */
export function applyHeadless(
  s: ImportedService,
  raw: Json,
  weighted: boolean,
  path: Path,
  notes: Notes,
): boolean {
  if (!s.kube?.headless) return weighted;
  raw.headless = true;
  if (!weighted) return false;
  for (const v of raw.versions as Json[]) delete v.weight;
  notes.before(
    path,
    "headless: a sidecar sends each request to the pod its caller dialled, whatever the route's weights",
  );
  return false;
}

/** The Service's trafficDistribution and internalTrafficPolicy, where they mean something. */
export function applyTrafficPolicies(s: ImportedService, raw: Json, path: Path, notes: Notes): void {
  const td = s.kube?.trafficDistribution;
  if (td && s.kube?.headless) notes.before(path, `${UNREAD}: trafficDistribution ${td}`);
  else if (td && isTrafficDistribution(td)) raw.trafficDistribution = td;
  else if (td)
    notes.before(path, `read, not representable: trafficDistribution ${td} (calls spread over every pod)`);
  if (s.kube?.internalTrafficPolicy === 'Local') {
    if (s.kube.headless) notes.before(path, `${UNREAD}: internalTrafficPolicy Local`);
    else raw.internalTrafficPolicy = 'Local';
  }
}
