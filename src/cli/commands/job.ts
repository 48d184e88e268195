// `meshsim job FILE --claim PVC --image IMAGE --out DIR [plan flags]`: a plan too big for one machine as a
// Kubernetes Indexed Job. Writes DIR/job.yaml (the scenario's ConfigMap and the Job), DIR/Dockerfile for
// the image and DIR/Dockerfile.dockerignore. The plan flags are checked here, against the scenario, so a
// mistake shows now rather than in N pods.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { PlanInputError, planSpecs, resolveSettings, workGroups } from '../../plan/index.ts';
import { UsageError } from '../errors.ts';
import { outFile, wrote } from '../outputs.ts';
import { parseIntFlag } from '../parse-list.ts';
import { type PlanArgs, planScenario, settings } from './plan.ts';

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

/** Flags of `meshsim plan` the pods get as given; the rest (--out, --workers, --resume) the Job sets. */
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
  ['warmup', 'warmup'],
] as const;

/** RFC 1123 label, as Kubernetes validates object names of these kinds (IsDNS1123Label). */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Kubernetes resource.Quantity, decimal with an optional binary or decimal suffix. */
const QUANTITY = /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;
/** ConfigMap keys are [-._a-zA-Z0-9]+ (Kubernetes API validation, IsConfigMapKey). */
const CONFIGMAP_KEY = /^[-._a-zA-Z0-9]+$/;

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
  const s = planScenario(a);
  let groups: number;
  try {
    groups = workGroups(planSpecs(s, resolveSettings(s, settings(a)))).length;
  } catch (e) {
    if (e instanceof PlanInputError) throw new UsageError(e.message);
    throw e;
  }
  const shards = parseIntFlag('shards', a.shards, 1) ?? groups;
  const parallelism = parseIntFlag('parallelism', a.parallelism, 1) ?? shards;
  const cpu = parseIntFlag('cpu', a.cpu, 1) ?? 2;
  const memory = a.memory ?? '4Gi';
  if (!QUANTITY.test(memory))
    throw new UsageError(`--memory: found "${memory}", expected a Kubernetes quantity such as 4Gi`);
  const name = dnsLabel('name', a.name ?? `meshsim-plan-${s.metadata.name}`.slice(0, 63).replace(/-+$/, ''));
  const claim = dnsLabel('claim', a.claim);
  const namespace = a.namespace === undefined ? undefined : dnsLabel('namespace', a.namespace);
  if (a.image.trim() === '' || /\s/.test(a.image))
    throw new UsageError(
      `--image: found "${a.image}", expected an image reference such as registry/meshsim:0.1`,
    );
  // Loaded here, not with the CLI: the Kubernetes schemas take a noticeable time to load.
  const kube = await import('../kube-job.ts');
  let scenario: { file: string; text: string } | { inClaim: string };
  if (a.scenarioInClaim !== undefined) {
    const path = a.scenarioInClaim.replace(/^\/+/, '');
    if (path === '' || path.split('/').includes('..'))
      throw new UsageError(
        `--scenario-in-claim: found "${a.scenarioInClaim}", expected a file path inside the claim`,
      );
    scenario = { inClaim: path };
  } else {
    const text = readFileSync(a.file, 'utf8');
    const bytes = Buffer.byteLength(text);
    if (bytes > kube.CONFIGMAP_MAX_BYTES)
      throw new UsageError(
        `${a.file}: ${bytes} bytes, more than a ConfigMap holds (1 MiB); copy it onto the claim and pass ` +
          '--scenario-in-claim PATH (relative to the claim)',
      );
    scenario = { file: CONFIGMAP_KEY.test(basename(a.file)) ? basename(a.file) : 'scenario.yaml', text };
  }
  const planArgs: string[] = [];
  for (const [key, flag] of FORWARDED) {
    const v = a[key];
    if (v !== undefined) planArgs.push(`--${flag}`, String(v));
  }
  if (a.force) planArgs.push('--force');
  const manifest = kube.indexedJobManifest({
    name,
    ...(namespace ? { namespace } : {}),
    image: a.image,
    shards,
    parallelism,
    claim,
    scenario,
    cpu,
    memory,
    planArgs,
  });
  const outputs = [
    [outFile(a.out, 'job.yaml')!, manifest],
    [outFile(a.out, 'Dockerfile')!, kube.DOCKERFILE],
    [outFile(a.out, 'Dockerfile.dockerignore')!, kube.DOCKERIGNORE],
  ] as const;
  try {
    for (const [file, text] of outputs) file.commit(text);
  } finally {
    for (const [file] of outputs) file.discard();
  }
  const where = kube.resultsDir(name).slice(kube.RESULTS_MOUNT.length + 1);
  wrote(...outputs.map(([file]) => file.path));
  process.stderr.write(
    [
      `meshsim: ${shards} pods (${parallelism} at once) for ${groups} groups of alike chains, writing to claim ${claim}`,
      'next:',
      `  docker build -f ${outputs[1][0].path} -t ${a.image} . && docker push ${a.image}`,
      `  kubectl apply -f ${outputs[0][0].path}`,
      `  kubectl wait --for=condition=complete --timeout=24h job/${name}`,
      `  then, with the claim's ${where}/ directory at hand: meshsim merge ${where} --out ${where}`,
      '',
    ].join('\n'),
  );
  return 0;
}
