// `meshsim job FILE --claim PVC --image IMAGE --out DIR [plan flags]`: a plan too big for one machine as a
// Kubernetes Indexed Job. Writes DIR/job.yaml (the scenario's ConfigMap and the Job), DIR/Dockerfile for
// the image and its .dockerignore. The plan flags are checked here, against the scenario, so a mistake
// shows now rather than in N pods.
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Argv } from 'yargs';
import { candidatePool, PlanInputError, planChains, resolveSettings } from '../../plan/index.ts';
import { applyOverrides, loadScenario } from '../../scenario/index.ts';
import { writeFileAtomic } from '../atomic.ts';
import { UsageError } from '../errors.ts';
import { parseDurationFlag, parseIntFlag } from '../parse-list.ts';
import { type PlanArgs, planOptions, settings } from './plan.ts';

export interface JobArgs extends PlanArgs {
  claim: string;
  image: string;
  name?: string;
  namespace?: string;
  shards?: number;
  parallelism?: number;
  cpu?: number;
  memory?: string;
  scenarioInClaim?: string;
}

/** Flags of `meshsim plan` the pods get as given; the rest (--out, --workers...) the Job sets itself. */
const FORWARDED = [
  ['arch', 'arch'],
  ['types', 'types'],
  ['growth', 'growth'],
  ['headroom', 'headroom'],
  ['cpuTarget', 'cpu-target'],
  ['maxNodes', 'max-nodes'],
  ['seed', 'seed'],
  ['replications', 'replications'],
  ['duration', 'duration'],
] as const;

export function jobOptions<T>(y: Argv<T>) {
  return planOptions(y)
    .option('claim', {
      type: 'string',
      demandOption: true,
      describe: 'PersistentVolumeClaim (ReadWriteMany) the shares are written to',
    })
    .option('image', {
      type: 'string',
      demandOption: true,
      describe: 'image built from the emitted Dockerfile',
    })
    .option('name', { type: 'string', describe: 'Job name (default meshsim-plan-<scenario name>)' })
    .option('namespace', { type: 'string', describe: 'namespace of the Job' })
    .option('shards', { type: 'number', describe: 'pods, one share each (default: one per chain)' })
    .option('parallelism', { type: 'number', describe: 'pods running at once (default: all)' })
    .option('cpu', { type: 'number', describe: 'whole cores per pod, also its worker threads (2)' })
    .option('memory', { type: 'string', describe: 'memory per pod, a Kubernetes quantity (4Gi)' })
    .option('scenario-in-claim', {
      type: 'string',
      describe: 'read the scenario from this path on the claim instead of a ConfigMap (over 1 MiB)',
    });
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const QUANTITY = /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;

function dnsLabel(flag: string, v: string): string {
  if (v.length > 63 || !DNS_LABEL.test(v))
    throw new UsageError(
      `--${flag}: found "${v}", expected a DNS label (a-z, 0-9, '-', at most 63 characters)`,
    );
  return v;
}

export async function jobCommand(a: JobArgs): Promise<number> {
  if (a.shard !== undefined)
    throw new UsageError('--shard: the Job gives each pod its share; use --shards N');
  for (const f of ['json', 'resume'] as const)
    if (a[f]) throw new UsageError(`--${f}: not a Job flag (the pods write their shares to the claim)`);
  if (a.checkpoint !== undefined) throw new UsageError('--checkpoint: the pods checkpoint on the claim');
  if (a.workers !== undefined) throw new UsageError('--workers: set by --cpu (one worker per core)');
  if (!a.out) throw new UsageError('--out DIR: where to write job.yaml and the Dockerfile');
  // Loaded here, not with the CLI: the Kubernetes schemas take a third of a second to load.
  const { CONFIGMAP_MAX_BYTES, DOCKERFILE, DOCKERIGNORE, indexedJobManifest, RESULTS_MOUNT, resultsDir } =
    await import('../kube-job.ts');
  const s = applyOverrides(loadScenario(a.file), {
    seed: parseIntFlag('seed', a.seed, 0),
    replications: parseIntFlag('replications', a.replications, 1),
    duration: parseDurationFlag(a.duration),
  });
  let chains: number;
  try {
    const resolved = resolveSettings(s, settings(a));
    for (const t of resolved.instanceTypes) candidatePool(s, t);
    chains = planChains(resolved).length;
  } catch (e) {
    if (e instanceof PlanInputError) throw new UsageError(e.message);
    throw e;
  }
  const shards = parseIntFlag('shards', a.shards, 1) ?? chains;
  const parallelism = parseIntFlag('parallelism', a.parallelism, 1) ?? shards;
  const cpu = parseIntFlag('cpu', a.cpu, 1) ?? 2;
  const memory = a.memory ?? '4Gi';
  if (!QUANTITY.test(memory))
    throw new UsageError(`--memory: found "${memory}", expected a Kubernetes quantity such as 4Gi`);
  const name = dnsLabel('name', a.name ?? `meshsim-plan-${s.metadata.name}`.slice(0, 63).replace(/-+$/, ''));
  const claim = dnsLabel('claim', a.claim);
  let scenario: { file: string; text: string } | { inClaim: string };
  if (a.scenarioInClaim !== undefined) {
    scenario = { inClaim: a.scenarioInClaim.replace(/^\/+/, '') };
  } else {
    const text = readFileSync(a.file, 'utf8');
    const bytes = Buffer.byteLength(text);
    if (bytes > CONFIGMAP_MAX_BYTES)
      throw new UsageError(
        `${a.file}: ${bytes} bytes, more than a ConfigMap holds (1 MiB); copy it onto the claim and pass ` +
          '--scenario-in-claim PATH (relative to the claim)',
      );
    // ConfigMap keys are [-._a-zA-Z0-9]+ (Kubernetes API validation, IsConfigMapKey).
    const key = /^[-._a-zA-Z0-9]+$/.test(basename(a.file)) ? basename(a.file) : 'scenario.yaml';
    scenario = { file: key, text };
  }
  const planArgs: string[] = [];
  for (const [key, flag] of FORWARDED) {
    const v = a[key];
    if (v !== undefined) planArgs.push(`--${flag}`, String(v));
  }
  const manifest = indexedJobManifest({
    name,
    ...(a.namespace ? { namespace: dnsLabel('namespace', a.namespace) } : {}),
    image: a.image,
    shards,
    parallelism,
    claim,
    scenario,
    cpu,
    memory,
    planArgs,
  });
  writeFileAtomic(join(a.out, 'job.yaml'), manifest);
  writeFileAtomic(join(a.out, 'Dockerfile'), DOCKERFILE);
  writeFileAtomic(join(a.out, 'Dockerfile.dockerignore'), DOCKERIGNORE);
  const where = resultsDir(name).slice(RESULTS_MOUNT.length + 1);
  process.stderr.write(
    [
      `meshsim: wrote ${join(a.out, 'job.yaml')}: ${shards} pods for ${chains} chains (claim ${claim}), and a Dockerfile`,
      'next:',
      `  docker build -f ${join(a.out, 'Dockerfile')} -t ${a.image} . && docker push ${a.image}`,
      `  kubectl apply -f ${join(a.out, 'job.yaml')}`,
      `  kubectl wait --for=condition=complete --timeout=24h job/${name}`,
      `  then, with the claim's ${where}/ directory at hand: meshsim merge ${where} --out ${where}`,
      '',
    ].join('\n'),
  );
  return 0;
}
