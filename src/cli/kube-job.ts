// A sharded plan as a Kubernetes Indexed Job: pod I runs `meshsim plan --shard index/N`, reading its index
// from JOB_COMPLETION_INDEX, and writes its share to the volume the user names; `meshsim merge` then
// joins the shares. The objects are built with kubernetes-models and validated against the Kubernetes
// OpenAPI schema it ships before anything is written, so an emitted manifest is one the API server
// accepts.
import { Job } from 'kubernetes-models/batch/v1/Job';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { stringify } from 'yaml';

/**
 * "The data stored in a ConfigMap cannot exceed 1 MiB"
 * (https://kubernetes.io/docs/concepts/configuration/configmap/, Kubernetes 1.31).
 */
export const CONFIGMAP_MAX_BYTES = 2 ** 20;

/** Where the pods mount the volume the user names, and the scenario. */
export const RESULTS_MOUNT = '/results';
const SCENARIO_MOUNT = '/scenario';

/**
 * UID of the `node` user of the official Node.js images (nodejs/docker-node, `20/bookworm-slim/Dockerfile`:
 * `groupadd --gid 1000 node && useradd --uid 1000 --gid node`).
 */
const NODE_UID = 1000;

export interface JobSpec {
  name: string;
  namespace?: string;
  image: string;
  shards: number;
  parallelism: number;
  /** PersistentVolumeClaim the shares and checkpoints are written to. */
  claim: string;
  /** The scenario as a ConfigMap (file name and text), or a path inside the claim. */
  scenario: { file: string; text: string } | { inClaim: string };
  /** Whole cores per pod; also the pod's worker threads. */
  cpu: number;
  memory: string;
  /** `meshsim plan` flags every pod gets (settings and simulation overrides). */
  planArgs: string[];
}

const labels = (name: string) => ({
  'app.kubernetes.io/name': 'meshsim',
  'app.kubernetes.io/component': 'plan',
  'app.kubernetes.io/instance': name,
});

/** Where pod outputs go inside the claim: one directory per job name. */
export function resultsDir(name: string): string {
  return `${RESULTS_MOUNT}/${name}`;
}

/** The manifest as YAML documents: the scenario's ConfigMap (unless it is on the claim), then the Job. */
export function indexedJobManifest(j: JobSpec): string {
  const objects: Array<Job | ConfigMap> = [];
  const meta = (name: string) => ({
    name,
    ...(j.namespace ? { namespace: j.namespace } : {}),
    labels: labels(j.name),
  });
  const configMap = `${j.name}-scenario`;
  let scenarioPath: string;
  const volumes: NonNullable<NonNullable<Job['spec']>['template']['spec']>['volumes'] = [
    { name: 'results', persistentVolumeClaim: { claimName: j.claim } },
  ];
  const mounts = [{ name: 'results', mountPath: RESULTS_MOUNT }];
  if ('text' in j.scenario) {
    objects.push(new ConfigMap({ metadata: meta(configMap), data: { [j.scenario.file]: j.scenario.text } }));
    volumes.push({ name: 'scenario', configMap: { name: configMap } });
    mounts.push({ name: 'scenario', mountPath: SCENARIO_MOUNT, readOnly: true } as (typeof mounts)[number]);
    scenarioPath = `${SCENARIO_MOUNT}/${j.scenario.file}`;
  } else {
    scenarioPath = `${RESULTS_MOUNT}/${j.scenario.inClaim}`;
  }
  const out = resultsDir(j.name);
  objects.push(
    new Job({
      metadata: meta(j.name),
      spec: {
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
                  out,
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
 * The image the Job runs: meshsim as checked out, run by the `node` user. Build it from the repository
 * root: `docker build -f DIR/Dockerfile -t IMAGE .`. Node 20.20.2 is the version the project is tested on
 * (shared/TOOLCHAIN.md); tsx (a dependency) runs the TypeScript sources, so there is no build step.
 */
export const DOCKERFILE = `# syntax=docker/dockerfile:1
# Generated by \`meshsim job\`. Build from the meshsim repository root:
#   docker build -f <this directory>/Dockerfile -t <image> .
FROM node:20.20.2-bookworm-slim
WORKDIR /meshsim
ENV NODE_ENV=production
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev && npm cache clean --force
COPY tsconfig.json ./
COPY bin ./bin
COPY sim ./sim
COPY src ./src
COPY scenarios ./scenarios
USER node
ENTRYPOINT ["node", "bin/meshsim.mjs"]
`;

/** Read by BuildKit next to a Dockerfile of the same name: keeps the build context small. */
export const DOCKERIGNORE = `node_modules
reports
test
docs
.git
`;
