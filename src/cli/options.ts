// Every command's options, descriptions and examples. Kept apart from the commands themselves, which
// load the simulator: `meshsim --help` and a usage error need only this file and yargs, so they start
// at once.
import type { Argv } from 'yargs';
import { CNIS, PLATFORMS } from '../check/names.ts';

const scenarioFile = {
  type: 'string',
  demandOption: true,
  describe: 'scenario file (YAML or JSON)',
} as const;

/** Options that override the scenario's `simulation` block, shared by run and plan. */
function simulationOptions<T>(y: Argv<T>) {
  return y
    .option('seed', {
      type: 'number',
      describe: 'master seed, an integer >= 0 (overrides simulation.seed)',
    })
    .option('replications', {
      type: 'number',
      describe: 'independent replications, 1-100 (overrides simulation.replications)',
    })
    .option('duration', {
      type: 'string',
      describe: 'simulated time including the warm-up, e.g. 30s or 2m (overrides simulation.duration)',
    })
    .option('warmup', {
      type: 'string',
      describe: 'simulated time discarded before measuring, e.g. 5s (overrides simulation.warmup)',
    });
}

export function runOptions<T>(y: Argv<T>) {
  return simulationOptions(
    y.positional('file', scenarioFile).option('arch', {
      type: 'string',
      describe: 'architectures to compare, comma-separated: none, sidecar, ambient, as-labelled',
    }),
  )
    .option('precision', {
      type: 'string',
      describe:
        'replicate until every p99 and latency delta has a 95 % half-width within this share, e.g. 5% (sets simulation.precision.relative)',
    })
    .option('max-replications', {
      type: 'number',
      describe: 'with --precision: stop at this many replications, 2-100 (default 30)',
    })
    .option('workers', {
      type: 'number',
      describe: 'replications at once on worker threads (default: the cores there are; capped at them)',
    })
    .option('json', {
      type: 'boolean',
      default: false,
      describe: 'print the results JSON (meshsim/results/v1) on stdout instead of the tables',
    })
    .option('out', { type: 'string', describe: 'write DIR/results.json' })
    .option('report', {
      type: 'string',
      describe: 'write the HTML report, its charts and results.json into DIR (replaced as a whole)',
    })
    .option('force', {
      type: 'boolean',
      default: false,
      describe: 'run even when the estimated memory, time or output size is beyond this machine',
    })
    .example('$0 run scenarios/quickstart.yaml', 'compare none, sidecar and ambient; print the tables')
    .example('$0 run shop.yaml --arch sidecar,ambient', 'compare two architectures only')
    .example('$0 run shop.yaml --duration 2m --warmup 10s', 'a longer run, a longer warm-up')
    .example('$0 run shop.yaml --precision 5% --warmup auto', 'replicate until precise; MSER-5 warm-up')
    .example('$0 run shop.yaml --report reports/shop', 'also write reports/shop/index.html')
    .example('$0 run shop.yaml --json | jq .deltas', 'the results as JSON for other tools');
}

export function validateOptions<T>(y: Argv<T>) {
  return y
    .positional('file', scenarioFile)
    .example('$0 validate shop.yaml', 'report every problem as file:line:col: path: found, expected');
}

export function calibrateOptions<T>(y: Argv<T>) {
  return y
    .option('json', {
      type: 'boolean',
      default: false,
      describe: 'print the calibration JSON on stdout instead of the table',
    })
    .option('out', { type: 'string', describe: 'write DIR/calibration.json' })
    .option('seed', { type: 'number', describe: 'master seed, an integer >= 0' })
    .option('replications', { type: 'number', describe: 'independent replications, >= 1' })
    .example('$0 calibrate', "published vs simulated figures of Istio's benchmarks; exit 3 if off by >10 %")
    .example('$0 calibrate --out reports/calibration', 'also write reports/calibration/calibration.json');
}

export function reportOptions<T>(y: Argv<T>) {
  return y
    .positional('files', {
      type: 'string',
      array: true,
      demandOption: true,
      describe: 'results files written by run --out, plan --out or calibrate --out',
    })
    .option('out', {
      type: 'string',
      demandOption: true,
      describe: 'directory for index.html and the charts (replaced as a whole)',
    })
    .example('$0 report out/results.json --out reports/shop', 'redraw a report without simulating again')
    .example('$0 report a/results.json b/plan.json --out reports/both', 'several results on one page');
}

export function planOptions<T>(y: Argv<T>) {
  return simulationOptions(
    y.positional('file', scenarioFile).option('arch', {
      type: 'string',
      describe: "architectures to plan, comma-separated (default: the scenario's, minus as-labelled)",
    }),
  )
    .option('types', {
      type: 'string',
      describe: "instance types, comma-separated, e.g. m5.xlarge,c6i.xlarge (default: the scenario's)",
    })
    .option('growth', { type: 'string', describe: 'load growth factors, e.g. 1,2,5,10 (default 1)' })
    .option('headroom', {
      type: 'number',
      describe: 'fraction of node allocatable kept free of requests, 0-1 (default 0.1)',
    })
    .option('cpu-target', {
      type: 'number',
      describe: 'highest mean CPU utilisation of any node, 0-1 (default 0.7)',
    })
    .option('max-nodes', { type: 'number', describe: 'largest cluster tried (default 200)' })
    .option('workers', {
      type: 'number',
      describe: 'worker threads, at most the cores available (default: all of them)',
    })
    .option('json', {
      type: 'boolean',
      default: false,
      describe: 'print the plan JSON (meshsim/plan/v1) on stdout instead of the table',
    })
    .option('out', {
      type: 'string',
      describe: 'write DIR/plan.json (and checkpoints in DIR/.meshsim-checkpoint)',
    })
    .option('checkpoint', {
      type: 'string',
      describe: 'directory of finished simulations (default DIR/.meshsim-checkpoint of --out)',
    })
    .option('resume', {
      type: 'boolean',
      default: false,
      describe: 'reuse finished simulations from the checkpoint directory (each is verified first)',
    })
    .option('force', {
      type: 'boolean',
      default: false,
      describe:
        'plan even when one simulation is estimated to need more memory or time than this machine has',
    })
    .option('shard', {
      type: 'string',
      describe:
        'compute share I of N into DIR/plan.shard-I-of-N.json (I/N, or index/N to read JOB_COMPLETION_INDEX); join the shares with merge',
    })
    .example('$0 plan shop.yaml --growth 1,2,5 --out plans/shop', 'cheapest cluster now, at 2x and 5x')
    .example('$0 plan shop.yaml --types m5.xlarge,c6i.2xlarge --workers 2', 'two instance types, two threads')
    .example('$0 plan shop.yaml --out plans/shop --resume', 'continue an interrupted plan')
    .example('$0 plan shop.yaml --growth 1,10 --shard 0/4 --out plans/shop', 'share 0 of 4 (see merge)');
}

export function mergeOptions<T>(y: Argv<T>) {
  return y
    .positional('inputs', {
      type: 'string',
      array: true,
      demandOption: true,
      describe: 'shares written by plan --shard (files, or directories of plan.shard-I-of-N.json)',
    })
    .option('json', {
      type: 'boolean',
      default: false,
      describe: 'print the plan JSON (meshsim/plan/v1) on stdout instead of the table',
    })
    .option('out', { type: 'string', describe: 'write DIR/plan.json' })
    .example(
      '$0 merge plans/shop --out plans/shop',
      'join every share in plans/shop into plans/shop/plan.json',
    );
}

/** `meshsim job`: the plan's own flags (forwarded to every pod) and the Job's. */
export function jobOptions<T>(y: Argv<T>) {
  return planOptions(y)
    .option('claim', {
      type: 'string',
      demandOption: true,
      describe: 'PersistentVolumeClaim (ReadWriteMany) the pods write their shares and checkpoints to',
    })
    .option('image', {
      type: 'string',
      demandOption: true,
      describe: 'container image built from the emitted Dockerfile',
    })
    .option('name', {
      type: 'string',
      describe: 'Job name, a DNS label (default meshsim-plan-<scenario name>)',
    })
    .option('namespace', { type: 'string', describe: 'namespace of the Job and its ConfigMap' })
    .option('shards', {
      type: 'number',
      describe: 'completions: shares of the plan, one per pod (default: one per group of alike chains)',
    })
    .option('parallelism', { type: 'number', describe: 'pods running at once (default: all shares)' })
    .option('cpu', {
      type: 'number',
      describe: "whole cores per pod, also each pod's worker threads (default 2)",
    })
    .option('memory', { type: 'string', describe: 'memory per pod, a Kubernetes quantity (default 4Gi)' })
    .option('scenario-in-claim', {
      type: 'string',
      describe: 'read the scenario from this path on the claim instead of a ConfigMap (for files over 1 MiB)',
    })
    .example(
      '$0 job shop.yaml --growth 1,2,5,10 --claim plans --image reg.example/meshsim:0.1 --out k8s/plan',
      'k8s/plan/job.yaml and k8s/plan/Dockerfile',
    );
}

/** Flags that take one value: given twice, yargs would make an array; say which flag instead. */
export const SINGLE_VALUED = [
  'arch',
  'seed',
  'replications',
  'duration',
  'warmup',
  'out',
  'report',
  'types',
  'growth',
  'headroom',
  'cpu-target',
  'max-nodes',
  'workers',
  'checkpoint',
  'shard',
  'claim',
  'image',
  'name',
  'namespace',
  'shards',
  'parallelism',
  'cpu',
  'memory',
  'scenario-in-claim',
] as const;

export function importOptions<T>(y: Argv<T>) {
  return y
    .positional('paths', {
      type: 'string',
      array: true,
      demandOption: true,
      describe: 'manifest files (multi-document YAML, JSON, kind: List) or directories of them',
    })
    .option('out', { type: 'string', describe: 'write the scenario here instead of stdout' })
    .option('calls', { type: 'string', describe: 'call graph and traffic overlay, in the scenario format' })
    .option('infer-calls', {
      type: 'boolean',
      default: false,
      describe: 'propose calls from env vars and args that name a Service (as comments to confirm)',
    })
    .option('name', {
      type: 'string',
      describe: 'metadata.name of the scenario (default: the first file name)',
    })
    .example(
      '$0 import k8s/ --calls calls.yaml --out shop.yaml',
      'a scenario from manifests and a call graph',
    );
}

export function checkOptions<T>(y: Argv<T>) {
  return y
    .positional('file', {
      type: 'string',
      demandOption: true,
      describe: 'a scenario file, or manifests (file or directory)',
    })
    .option('json', { type: 'boolean', default: false, describe: 'print the findings as JSON' })
    .option('cni', {
      type: 'string',
      choices: CNIS,
      describe: 'the cluster CNI (else read from the manifests)',
    })
    .option('platform', { type: 'string', choices: PLATFORMS, describe: 'the Kubernetes platform' })
    .option('calls', {
      type: 'string',
      describe: 'for manifests: the call graph and traffic overlay, as for import',
    })
    .option('istio-version', {
      type: 'string',
      describe: 'Istio minor version, e.g. 1.28 (else read from ztunnel/istiod images)',
    })
    .example('$0 check shop.yaml', 'the operational cautions of a scenario')
    .example('$0 check k8s/ --cni cilium --platform eks --json', 'of manifests, as JSON');
}
