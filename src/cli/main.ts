// meshsim's command line. Every command returns an exit code; errors are turned into messages by
// reportError (exit 2 for bad input, 1 for internal errors) so no user ever sees a stack trace.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { calibrateCommand } from './commands/calibrate.ts';
import { jobCommand, jobOptions } from './commands/job.ts';
import { mergeCommand } from './commands/merge.ts';
import { planCommand, planOptions } from './commands/plan.ts';
import { planShardCommand } from './commands/plan-shard.ts';
import { reportCommand } from './commands/report.ts';
import { runCommand, runOptions } from './commands/run.ts';
import { validateCommand } from './commands/validate.ts';
import { EXIT_BAD_INPUT, reportError } from './errors.ts';

async function main(argv: string[]): Promise<number> {
  let code = 0;
  const wrap = (f: () => Promise<number> | number) => async () => {
    code = await f();
  };
  let action: (() => Promise<void>) | null = null;
  const parser = yargs(argv)
    .scriptName('meshsim')
    .usage('$0 <command> [options]\n\nSimulate Istio sidecar and ambient data planes side by side.')
    .command(
      'run <file>',
      'simulate a scenario and compare the architectures',
      (y) => runOptions(y),
      (a) => {
        action = wrap(() => runCommand(a as never));
      },
    )
    .command(
      'validate <file>',
      'check a scenario file and report every problem with its position',
      (y) => y.positional('file', { type: 'string', demandOption: true }),
      (a) => {
        action = wrap(() => validateCommand(a as never));
      },
    )
    .command(
      'calibrate',
      're-run the published benchmark set-ups and compare with the published figures',
      (y) =>
        y
          .option('json', { type: 'boolean', default: false, describe: 'print the calibration JSON' })
          .option('out', { type: 'string', describe: 'directory to write calibration.json into' })
          .option('seed', { type: 'number' })
          .option('replications', { type: 'number' }),
      (a) => {
        action = wrap(() => calibrateCommand(a as never));
      },
    )
    .command(
      'report <files..>',
      'draw the charts and the HTML report of results from run, plan or calibrate',
      (y) =>
        y
          .positional('files', {
            type: 'string',
            array: true,
            demandOption: true,
            describe: 'results JSON files',
          })
          .option('out', {
            type: 'string',
            demandOption: true,
            describe: 'directory for index.html and the charts',
          }),
      (a) => {
        action = wrap(() => reportCommand(a as never));
      },
    )
    .command(
      'plan <file>',
      'find the cheapest cluster per architecture, node type and load growth',
      (y) => planOptions(y),
      (a) => {
        action = wrap(() => (a.shard === undefined ? planCommand(a as never) : planShardCommand(a as never)));
      },
    )
    .command(
      'merge <inputs..>',
      'join the shares of plan --shard I/N (files or directories) into the whole plan',
      (y) =>
        y
          .positional('inputs', {
            type: 'string',
            array: true,
            demandOption: true,
            describe: 'shard files or directories',
          })
          .option('out', { type: 'string', describe: 'directory to write plan.json into' })
          .option('json', { type: 'boolean', default: false, describe: 'write the plan JSON to stdout' }),
      (a) => {
        action = wrap(() => mergeCommand(a as never));
      },
    )
    .command(
      'job <file>',
      'write a Kubernetes Indexed Job (and its Dockerfile) that runs a plan in shards',
      (y) => jobOptions(y),
      (a) => {
        action = wrap(() => jobCommand(a as never));
      },
    )
    .demandCommand(1, 'name a command: run, validate, calibrate, report, plan, merge, job')
    .strict()
    .help()
    .version(false)
    .exitProcess(false)
    .fail((msg, err) => {
      if (err) throw err;
      throw new UsageFail(msg);
    });
  try {
    await parser.parseAsync();
  } catch (e) {
    if (e instanceof UsageFail) {
      process.stderr.write(`meshsim: ${e.message}\nRun 'meshsim --help' for usage.\n`);
      return EXIT_BAD_INPUT;
    }
    return reportError(e);
  }
  if (!action) return 0;
  try {
    await (action as () => Promise<void>)();
  } catch (e) {
    return reportError(e);
  }
  return code;
}

class UsageFail extends Error {}

const code = await main(hideBin(process.argv));
process.exitCode = code;
