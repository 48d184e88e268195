// A sharded plan as a Kubernetes Indexed Job: pod I runs `meshsim plan --shard index/N`, which reads I
// from JOB_COMPLETION_INDEX, and writes its share to the volume the user names; `meshsim merge` then joins
// the shares. The objects are built with kubernetes-models (its schemas are Kubernetes 1.27.1's OpenAPI)
// and validated before anything is written, so an emitted manifest is one the API server accepts.
import { Job } from 'kubernetes-models/batch/v1/Job';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { stringify } from 'yaml';

/**
 * "The data stored in a ConfigMap cannot exceed 1 MiB"
 * (https://kubernetes.io/docs/concepts/configuration/configmap/, Kubernetes 1.31).
 */
export const CONFIGMAP_MAX_BYTES = 2 ** 20;

/** Where the pods mount the volume the user names, and the scenario's ConfigMap. */
export const RESULTS_MOUNT = '/results';
export const SCENARIO_MOUNT = '/scenario';

/**
 * UID of the `node` user of the official Node.js images (nodejs/docker-node, `20/bookworm-slim/Dockerfile`:
 * `groupadd --gid 1000 node && useradd --uid 1000 --gid node`).
 */
const NODE_UID = 1000;

export interface JobSpec {
  name: string;
  namespace?: string;
  image: string;
  /** Completions: one share of the plan per index. */
  shards: number;
  parallelism: number;
  /** PersistentVolumeClaim the shares and checkpoints are written to. */
  claim: string;
  /** The scenario as a ConfigMap (file name and text), or a path inside the claim. */
  scenario: { file: string; text: string } | { inClaim: string };
  /** Whole cores per pod; also the pod's worker threads. */
  cpu: number;
  memory: string;
  /** `meshsim plan` flags every pod gets (settings and simulation overrides), as given. */
  planArgs: string[];
}

const labels = (name: string) => ({
  'app.kubernetes.io/name': 'meshsim',
  'app.kubernetes.io/component': 'plan',
  'app.kubernetes.io/instance': name,
});

/** Where pod outputs go inside the claim: one directory per Job name. */
export function resultsDir(name: string): string {
  return `${RESULTS_MOUNT}/${name}`;
}

type PodSpec = NonNullable<NonNullable<Job['spec']>['template']['spec']>;

/** The manifest as YAML documents: the scenario's ConfigMap (unless it is on the claim), then the Job. */
export function indexedJobManifest(j: JobSpec): string {
  const objects: Array<Job | ConfigMap> = [];
  const meta = (name: string) => ({
    name,
    ...(j.namespace ? { namespace: j.namespace } : {}),
    labels: labels(j.name),
  });
  const configMap = `${j.name}-scenario`;
  const volumes: NonNullable<PodSpec['volumes']> = [
    { name: 'results', persistentVolumeClaim: { claimName: j.claim } },
  ];
  const mounts: NonNullable<PodSpec['containers'][number]['volumeMounts']> = [
    { name: 'results', mountPath: RESULTS_MOUNT },
  ];
  let scenarioPath: string;
  if ('text' in j.scenario) {
    objects.push(new ConfigMap({ metadata: meta(configMap), data: { [j.scenario.file]: j.scenario.text } }));
    volumes.push({ name: 'scenario', configMap: { name: configMap } });
    mounts.push({ name: 'scenario', mountPath: SCENARIO_MOUNT, readOnly: true });
    scenarioPath = `${SCENARIO_MOUNT}/${j.scenario.file}`;
  } else {
    scenarioPath = `${RESULTS_MOUNT}/${j.scenario.inClaim}`;
  }
  objects.push(
    new Job({
      metadata: meta(j.name),
      spec: {
        // Each pod gets JOB_COMPLETION_INDEX, 0 to completions - 1, and the Job completes when every
        // index has succeeded once (https://kubernetes.io/docs/concepts/workloads/controllers/job/
        // #completion-mode).
        completionMode: 'Indexed',
        completions: j.shards,
        parallelism: j.parallelism,
        template: {
          metadata: { labels: labels(j.name) },
          spec: {
            // A failed pod is replaced with the same index; --resume reuses the simulations it finished.
            restartPolicy: 'Never',
            securityContext: {
              runAsNonRoot: true,
              runAsUser: NODE_UID,
              runAsGroup: NODE_UID,
              fsGroup: NODE_UID,
            },
            containers: [
              {
                name: 'meshsim',
                image: j.image,
                args: [
                  'plan',
                  scenarioPath,
                  '--shard',
                  `index/${j.shards}`,
                  '--out',
                  resultsDir(j.name),
                  '--resume',
                  '--workers',
                  String(j.cpu),
                  ...j.planArgs,
                ],
                resources: {
                  requests: { cpu: String(j.cpu), memory: j.memory },
                  limits: { memory: j.memory },
                },
                volumeMounts: mounts,
              },
            ],
            volumes,
          },
        },
      },
    }),
  );
  for (const o of objects) o.validate();
  return objects.map((o) => stringify(o.toJSON(), { lineWidth: 0 })).join('---\n');
}

/**
 * The image the Job runs: meshsim as checked out, run by the `node` user. Built from the repository root
 * with `docker build -f DIR/Dockerfile -t IMAGE .`. Node 20.20.2 is the version the project is tested on
 * (shared/TOOLCHAIN.md). `npm ci` runs the `prepare` script, which bundles the CLI (scripts/build.mjs,
 * esbuild, a dev dependency); the dev dependencies are then pruned.
 */
export const DOCKERFILE = `# syntax=docker/dockerfile:1
# Generated by \`meshsim job\`. Build from the meshsim repository root:
#   docker build -f <this directory>/Dockerfile -t <image> .
FROM node:20.20.2-bookworm-slim
WORKDIR /meshsim
COPY package.json package-lock.json .npmrc tsconfig.json ./
COPY scripts ./scripts
COPY bin ./bin
COPY sim ./sim
COPY src ./src
COPY scenarios ./scenarios
RUN npm ci && npm prune --omit=dev && npm cache clean --force
ENV NODE_ENV=production
USER node
ENTRYPOINT ["node", "bin/meshsim.mjs"]
`;

/** Read by BuildKit next to a Dockerfile of the same name (Dockerfile.dockerignore): a small context. */
export const DOCKERIGNORE = `node_modules
dist
reports
test
docs
.git
`;
