// Writes scenarios/large.yaml: 1,200 nodes, 50 namespaces x 20 services x 30 replicas (30,000 pods),
// 50 entry points x 2,000 rps = 100,000 rps, three calls per request. Generated because nobody should
// hand-edit a thousand services; regenerate with `npx tsx scripts/gen-large.ts`.
import { writeFileSync } from 'node:fs';
import { clusterScenario } from './cluster-scenario.ts';

const text = clusterScenario({
  name: 'large',
  script: 'scripts/gen-large.ts',
  about: [
    'a large cluster to measure how meshsim scales and what each data',
    'plane costs at that size: 1,200 m5.xlarge nodes over 3 zones, 50 namespaces of 20 services with 30',
    'replicas each (30,000 application pods), 100,000 rps entering through 50 entry points.',
    'Sidecars are scoped to their callees (a Sidecar resource per namespace, as platforms of this size',
    'deploy): unscoped, each would hold 1,000 services and 30,000 endpoints, 689 MiB against its 128Mi',
    'request, and on nodes packed by requests the kubelets evict pods under memory pressure (6,003 pods',
    'of 30,000 between their first check at 10 s and 16 s, measured).',
  ],
  description: '1,200 nodes, 30,000 pods, 100,000 rps; every namespace labelled for ambient mode.',
  instanceType: 'm5.xlarge',
  nodes: 1200,
  namespaces: 50,
  services: 20,
  replicas: 30,
  cpu: '25m',
  ratePerEntry: 2000,
  duration: '30s',
  warmup: '5s',
  sidecarScope: 'callees',
});
writeFileSync(new URL('../scenarios/large.yaml', import.meta.url), text);
