// meshsim's command line. Every command returns an exit code; errors are turned into messages by
// reportError (exit 2 for bad input or a refusing environment, 1 for internal errors) so no user ever
// sees a stack trace. Only yargs and the option definitions load before a command is chosen: each
// command's code (the simulator, the report) is imported when it runs, so --help starts at once.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { VERSION } from '../simulate/version.ts';
import {
  calibrateOptions,
  checkOptions,
  importOptions,
  jobOptions,
  mergeOptions,
  planOptions,
  reportOptions,
  runOptions,
  SINGLE_VALUED,
  validateOptions,
} from './options.ts';
import { guardStandardStreams } from './streams.ts';

const EXIT_BAD_INPUT = 2;

type Action = () => Promise<number>;

async function main(argv: string[]): Promise<number> {
  let action: Action | null = null;
  const parser = yargs(argv)
    .scriptName('meshsim')
    .usage('$0 <command> [options]\n\nSimulate Istio sidecar and ambient data planes side by side.')
    .command(
      'run <file>',
      'simulate a scenario and compare the architectures',
      (y) => runOptions(y),
      (a) => {
        action = async () => (await import('./commands/run.ts')).runCommand(a as never);
      },
    )
    .command(
      'validate <file>',
      'check a scenario file and report every problem with its position',
      (y) => validateOptions(y),
      (a) => {
        action = async () => (await import('./commands/validate.ts')).validateCommand(a as never);
      },
    )
    .command(
      'calibrate',
      're-run the published benchmark set-ups and compare with the published figures',
      (y) => calibrateOptions(y),
      (a) => {
        action = async () => (await import('./commands/calibrate.ts')).calibrateCommand(a as never);
      },
    )
    .command(
      'report <files..>',
      'draw the charts and the HTML report of results from run, plan or calibrate',
      (y) => reportOptions(y),
      (a) => {
        action = async () => (await import('./commands/report.ts')).reportCommand(a as never);
      },
    )
    .command(
      'plan <file>',
      'find the cheapest cluster per architecture, node type and load growth',
      (y) => planOptions(y),
      (a) => {
        action = async () =>
          a.shard === undefined
            ? (await import('./commands/plan.ts')).planCommand(a as never)
            : (await import('./commands/plan-shard.ts')).planShardCommand(a as never);
      },
    )
    .command(
      'merge <inputs..>',
      'join the shares of plan --shard into the plan one machine computes',
      (y) => mergeOptions(y),
      (a) => {
        action = async () => (await import('./commands/merge.ts')).mergeCommand(a as never);
      },
    )
    .command(
      'job <file>',
      'write a Kubernetes Indexed Job (and its Dockerfile) that runs a plan in shares',
      (y) => jobOptions(y),
      (a) => {
        action = async () => (await import('./commands/job.ts')).jobCommand(a as never);
      },
    )
    .command(
      'import <paths..>',
      'turn Kubernetes manifests into a scenario file',
      (y) => importOptions(y),
      (a) => {
        action = async () => (await import('./commands/import.ts')).importCommand(a as never);
      },
    )
    .command(
      'check <file>',
      'list the operational cautions of a scenario or of manifests (exit 4 on error findings)',
      (y) => checkOptions(y),
      (a) => {
        action = async () => (await import('./commands/check.ts')).checkCommand(a as never);
      },
    )
    .demandCommand(1, 'name a command: run, validate, calibrate, report, plan, merge, job, import, check')
    .check((a) => {
      checkSingleValued(a);
      return true;
    })
    .example('$0 run scenarios/quickstart.yaml --report reports/quickstart', 'what npm start does')
    .epilogue(
      'Exit codes: 0 ok, 2 bad input or environment, 1 internal error, 3 calibration out of tolerance, 4 check found errors.',
    )
    .strict()
    .help('help', 'show this help')
    .alias('help', 'h')
    .version('version', "print meshsim's version", VERSION)
    .alias('version', 'V')
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((msg, err) => {
      if (err && !(err instanceof UsageFail)) throw err;
      throw err ?? new UsageFail(msg);
    });
  try {
    await parser.parseAsync();
  } catch (e) {
    if (e instanceof UsageFail) {
      process.stderr.write(`meshsim: ${e.message}\nRun 'meshsim --help' for usage.\n`);
      return EXIT_BAD_INPUT;
    }
    return (await import('./errors.ts')).reportError(e);
  }
  if (!action) return 0;
  try {
    return await (action as Action)();
  } catch (e) {
    return (await import('./errors.ts')).reportError(e);
  }
}

class UsageFail extends Error {}

/** A flag that takes one value given twice (yargs would make an array of it), or given empty. */
function checkSingleValued(a: Record<string, unknown>): void {
  for (const flag of SINGLE_VALUED) {
    const v = a[flag];
    if (Array.isArray(v))
      throw new UsageFail(`--${flag} given ${v.length} times (${v.join(', ')}); give it once`);
    if (v === '') throw new UsageFail(`--${flag}: found an empty value, expected ${describe(flag)}`);
  }
}

function describe(flag: string): string {
  return ['out', 'report', 'checkpoint'].includes(flag) ? 'a directory path' : 'a value';
}

guardStandardStreams();
process.exitCode = await main(hideBin(process.argv));
