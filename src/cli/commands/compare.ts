import * as fs from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { compareCsv, comparisonIsClean, formatComparison } from '../../report/compare';
import { UserError } from '../../util/errors';

interface CompareArgs {
  expected: string;
  actual: string;
  tolerance: number;
  ignore: string[];
}

function readCsv(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError('unreadable-csv', `${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, 'check the path');
  }
}

/** `compare` exits 1 when it finds a difference (like diff), so CI can tell drift from a crash. */
export function compareCommand(setExitCode: (code: number) => void): CommandModule<object, CompareArgs> {
  return {
    command: 'compare <expected> <actual>',
    describe: 'compare two experiment CSVs cell by cell (numeric cells within --tolerance points)',
    builder: (y: Argv) =>
      y
        .positional('expected', { type: 'string', demandOption: true, describe: 'reference CSV' })
        .positional('actual', { type: 'string', demandOption: true, describe: 'CSV to check' })
        .option('tolerance', { type: 'number', default: 0, describe: 'allowed |difference| of numeric cells, in points' })
        .option('ignore', { type: 'string', array: true, default: ['backend'], describe: 'columns not compared' }) as unknown as Argv<CompareArgs>,
    handler: (args) => {
      if (!Number.isFinite(args.tolerance) || args.tolerance < 0) {
        throw new UserError('bad-tolerance', `--tolerance: expected a number >= 0, got ${args.tolerance}`, 'e.g. --tolerance 3');
      }
      const result = compareCsv(readCsv(args.expected), readCsv(args.actual), { tolerance: args.tolerance, ignore: args.ignore });
      if (comparisonIsClean(result)) {
        console.log(`same within ${args.tolerance} points: ${args.actual} matches ${args.expected}`);
        return;
      }
      console.log(formatComparison(result, { expected: 'expected', actual: 'actual' }));
      setExitCode(1);
    },
  };
}
