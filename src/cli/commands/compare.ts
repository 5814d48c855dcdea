import * as fs from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { compareCsv, comparisonIsClean, formatComparison, type Tolerances } from '../../report/compare';
import { formatPaperGaps, paperGaps } from '../../report/paper-gap';
import { UserError } from '../../util/errors';

interface CompareArgs {
  expected: string;
  actual?: string;
  tolerance: string[];
  ignore: string[];
  paper: boolean;
  strict: boolean;
  json: boolean;
}

function readCsv(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError('unreadable-csv', `${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, 'check the path');
  }
}

/** `--tolerance 0.5 --tolerance accuracy=2,robustness=3`: a bare number is the default, col=n sets one column. */
export function parseTolerances(items: readonly string[]): Tolerances {
  const result: { default: number; columns: Record<string, number> } = { default: 0, columns: {} };
  for (const item of items.flatMap((i) => String(i).split(',')).map((i) => i.trim()).filter(Boolean)) {
    const [column, text] = item.includes('=') ? item.split('=', 2) : [undefined, item];
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value) || value < 0) {
      throw new UserError('bad-tolerance', `--tolerance: expected a number >= 0 or column=number, got "${item}"`, 'e.g. --tolerance 1 --tolerance accuracy=2,robustness=3');
    }
    if (column === undefined) result.default = value;
    else result.columns[column.trim()] = value;
  }
  return result;
}

/** `compare` exits 1 when it finds a difference (like diff), so CI can tell drift from a crash. */
export function compareCommand(setExitCode: (code: number) => void): CommandModule<object, CompareArgs> {
  return {
    command: 'compare <expected> [actual]',
    describe: 'compare two experiment CSVs cell by cell (numeric cells within --tolerance points), or one CSV with the paper (--paper)',
    builder: (y: Argv) =>
      y
        .positional('expected', { type: 'string', demandOption: true, describe: 'reference CSV (with --paper: the CSV to check)' })
        .positional('actual', { type: 'string', describe: 'CSV to check' })
        .option('tolerance', { type: 'string', array: true, default: ['0'], describe: 'allowed |difference| in points: a default and/or column=value, e.g. 1 accuracy=2,robustness=3' })
        .option('ignore', { type: 'string', array: true, default: ['backend'], describe: 'columns not compared' })
        .option('paper', { type: 'boolean', default: false, describe: "print each run's gap to the paper's numbers (informational: exits 0 unless --strict)" })
        .option('strict', { type: 'boolean', default: false, describe: 'with --paper: exit 1 when a gap is outside the tolerance' })
        .option('json', { type: 'boolean', default: false, describe: 'print the result as JSON' })
        .example('$0 compare results/reference/smoke/table1.csv results/smoke/table1.csv', 'exits 1 if any cell differs (backend ignored)')
        .example('$0 compare old.csv new.csv --tolerance 1 --tolerance robustness=3', 'numbers may differ by 1 point, robustness by 3')
        .example('$0 compare results/quick/table1.csv --paper', "each run's gap to the paper's Table 1") as unknown as Argv<CompareArgs>,
    handler: (args) => {
      const tolerance = parseTolerances(args.tolerance);
      if (args.paper) return comparePaper(args, tolerance, setExitCode);
      if (!args.actual) throw new UserError('usage', 'compare: expected two CSVs (reference, then the one to check), got one', 'add the second CSV, or --paper to compare one CSV with the paper');
      const result = compareCsv(readCsv(args.expected), readCsv(args.actual), { tolerance, ignore: args.ignore, names: { expected: args.expected, actual: args.actual } });
      const clean = comparisonIsClean(result);
      if (args.json) console.log(JSON.stringify({ clean, tolerance, ...result }, null, 2));
      else if (clean) console.log(`same within tolerance (${describe(tolerance)}): ${args.actual} matches ${args.expected}`);
      else console.log(formatComparison(result, { expected: 'expected', actual: 'actual' }));
      if (!clean) setExitCode(1);
    },
  };
}

function describe(t: Tolerances): string {
  return [`${t.default} points`, ...Object.entries(t.columns).map(([c, v]) => `${c} ${v}`)].join(', ');
}

function comparePaper(args: CompareArgs, tolerance: Tolerances, setExitCode: (code: number) => void): void {
  if (args.actual) throw new UserError('usage', `compare --paper: expected one CSV, got two (${args.expected}, ${args.actual})`, 'drop the second CSV');
  const gaps = paperGaps(readCsv(args.expected), tolerance, args.expected);
  const outside = gaps.filter((g) => g.outside).length;
  if (args.json) console.log(JSON.stringify({ tolerance, outside, gaps }, null, 2));
  else console.log(formatPaperGaps(gaps));
  if (args.strict && outside > 0) setExitCode(1);
}
