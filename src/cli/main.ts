import yargs from 'yargs';
import { UnitsFailed } from '../experiment/store/failed-units';
import { Interrupted } from '../experiment/orchestration/interrupt';
import { releaseBackend, useQuietCpuBackend } from '../engine/backend';
import { storageError, UserError } from '../util/errors';
import { benchCommand } from './commands/bench';
import { compareCommand } from './commands/compare';
import { dataCommand } from './commands/data';
import { doctorCommand } from './commands/doctor';
import { evalCommand } from './commands/eval';
import { listCommand } from './commands/list';
import { mergeCommand } from './commands/merge';
import { reportCommand } from './commands/report';
import { runCommand } from './commands/run';

import { EXIT } from './exit-codes';
import { COMPUTING_COMMANDS } from './launch';

export { EXIT } from './exit-codes';

/** What rerunning the same command does after it stopped on a full or vanished disk (nothing finished is lost). */
const AFTER_STORAGE_ERROR: Record<string, string> = {
  run: 'finished units are kept and the same command resumes',
  eval: 'the attack batches eval finished are kept in its journal (eval-journal.json): the same command resumes',
};
const AFTER_OTHER = 'what was written before is kept and the same command writes the rest again';

/** The command and its --out, once yargs has parsed them: a failed write is reported against that folder. */
interface Invocation {
  command?: string;
  outDir?: string;
}

function reportError(error: unknown, invocation: Invocation = {}): number {
  if (error instanceof Interrupted) {
    process.stderr.write(`sat-bench: ${error.message}\n`);
    return error.exitCode;
  }
  if (error instanceof UnitsFailed) {
    process.stderr.write(`sat-bench: ${error.message}\n`);
    return EXIT.unitsFailed;
  }
  const storage = storageError(error, {
    outDir: invocation.outDir,
    afterwards: AFTER_STORAGE_ERROR[invocation.command ?? ''] ?? AFTER_OTHER,
  });
  if (storage) return reportError(storage);
  if (error instanceof UserError) {
    process.stderr.write(`sat-bench: ${error.message}\n  fix: ${error.fix}\n`);
    return EXIT.usage;
  }
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`sat-bench: internal error (a bug), please report it with this trace:\n${stack}\n`);
  return EXIT.internal;
}

/** `sat-bench help run` is `sat-bench run --help`; `sat-bench help` is `sat-bench --help`. */
function expandHelpCommand(argv: readonly string[]): string[] {
  return argv[0] === 'help' ? [...argv.slice(1), '--help'] : [...argv];
}

/** The command-line parser: every command, the shared help text, and the setup each invocation runs first. */
function buildParser(argv: string[], invocation: Invocation, setExitCode: (code: number) => void) {
  return yargs(argv)
    .scriptName('sat-bench')
    .usage(
      '$0 <command> [options]\n\nReproduces Table 1 and Figure 3 of Smooth Adversarial Training (Xie et al., arXiv 2006.14536).',
    )
    .command(runCommand(argv))
    .command(listCommand)
    .command(compareCommand(setExitCode))
    .command(reportCommand)
    .command(mergeCommand)
    .command(evalCommand)
    .command(benchCommand)
    .command(doctorCommand)
    .command(dataCommand)
    .epilog(
      'sat-bench help <command> (or sat-bench <command> --help) shows its options and examples.\n\n' +
        'exit codes: 0 ok · 1 compare found a difference · 2 a user error (the message names the fix) · 3 run finished, ' +
        'but units stopped for good (collapsed or NaN loss: recorded in the CSV, named on stderr; --retry-failed trains them again) · ' +
        '70 internal error (a bug) · 130/143 interrupted (rerun to resume)',
    )
    .middleware(async (args) => {
      invocation.command = String(args._[0]);
      if (typeof args.out === 'string') invocation.outDir = args.out;
      // The commands that compute set up their backend themselves.
      if (!COMPUTING_COMMANDS.has(invocation.command)) await useQuietCpuBackend();
    })
    .demandCommand(1, 'name a command: run, list, compare, report, merge, eval, bench, doctor, data (see --help)')
    .strict()
    .recommendCommands()
    .help()
    .alias('help', 'h')
    .version()
    .wrap(Math.min(120, process.stdout.columns ?? 120))
    .fail((message, error) => {
      // Bad flags and unknown commands are user errors; anything a handler threw is passed through.
      throw error ?? new UserError('usage', message, 'see sat-bench --help, or sat-bench <command> --help');
    });
}

export async function main(commandLine: string[]): Promise<number> {
  const argv = expandHelpCommand(commandLine);
  let exitCode: number = EXIT.ok;
  const invocation: Invocation = {};
  try {
    await buildParser(argv, invocation, (code) => (exitCode = code)).parseAsync();
  } catch (error) {
    return reportError(error, invocation);
  } finally {
    // A WebGPU device keeps Node alive; let go of it whatever happened.
    releaseBackend();
  }
  return exitCode;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
