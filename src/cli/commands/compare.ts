import * as fs from 'node:fs';
import type { Argv, CommandModule, Options } from 'yargs';
import { compareCsv, comparisonIsClean, formatComparison, type Tolerances } from '../../report/compare';
import {
  compareWithPaper,
  formatPaperComparison,
  formatPaperGaps,
  paperComparisonIsClean,
  paperGaps,
} from '../../report/paper-gap';
import { rowsByRun } from '../../report/compare';
import { EXPERIMENTS } from '../../experiment/config/registry';
import type { ExperimentConfig } from '../../experiment/config/types';
import { UserError } from '../../util/errors';

/** Default tolerance of `--paper`, in points, on deltas: the size of the paper's own effects (+1.5 to +3.9 in Table 1). */
const PAPER_TOLERANCE = 2;

interface CompareArgs {
  expected: string;
  actual?: string;
  tolerance?: string[];
  ignore: string[];
  paper: boolean;
  levels: boolean;
  baseline?: string;
  strict: boolean;
  json: boolean;
}

function readCsv(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(
      'unreadable-csv',
      `${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      'check the path',
    );
  }
}

/** `--tolerance 0.5 --tolerance accuracy=2,robustness=3`: a bare number is the default, col=n sets one column. */
export function parseTolerances(items: readonly string[]): Tolerances {
  const result: { default: number; columns: Record<string, number> } = { default: 0, columns: {} };
  for (const item of items
    .flatMap((i) => String(i).split(','))
    .map((i) => i.trim())
    .filter(Boolean)) {
    const [column, text] = item.includes('=') ? item.split('=', 2) : [undefined, item];
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value) || value < 0) {
      throw new UserError(
        'bad-tolerance',
        `--tolerance: expected a number >= 0 or column=number, got "${item}"`,
        'e.g. --tolerance 1 --tolerance accuracy=2,robustness=3',
      );
    }
    if (column === undefined) result.default = value;
    else result.columns[column.trim()] = value;
  }
  return result;
}

/** The flags of `compare` besides the two CSVs, in the order --help lists them. */
const COMPARE_OPTIONS = {
  tolerance: {
    type: 'string',
    array: true,
    describe:
      `allowed |difference| in points: a default and/or column=value, e.g. 1 accuracy=2,robustness=3 (default 0; with --paper ${PAPER_TOLERANCE}, ` +
      "applied to each Δ against the baseline, robustness_delta and accuracy_delta, and to how far two runs may be out of the paper's order by robustness)",
  },
  ignore: { type: 'string', array: true, default: ['backend'], describe: 'columns not compared' },
  paper: {
    type: 'boolean',
    default: false,
    describe:
      "compare one CSV with the paper: each run's Δ against the baseline with the paper's Δ, and the order of the runs by robustness with the paper's (exit 1 on a difference)",
  },
  baseline: {
    type: 'string',
    describe:
      "with --paper: the run deltas are measured against (default: the built-in experiment's, e.g. relu-relu for table1)",
  },
  levels: {
    type: 'boolean',
    default: false,
    describe:
      "with --paper: also print each run's accuracy and robustness beside the paper's ImageNet levels (informational unless --strict)",
  },
  strict: {
    type: 'boolean',
    default: false,
    describe: 'with --paper --levels: exit 1 when a level is outside the tolerance too',
  },
  json: { type: 'boolean', default: false, describe: 'print the result as JSON' },
} satisfies Record<string, Options>;

/** Two CSVs cell by cell: prints what differs, and sets exit code 1 when something does. */
function compareTwo(args: CompareArgs, setExitCode: (code: number) => void): void {
  const tolerance = parseTolerances(args.tolerance ?? ['0']);
  if (!args.actual)
    throw new UserError(
      'usage',
      'compare: expected two CSVs (reference, then the one to check), got one',
      'add the second CSV, or --paper to compare one CSV with the paper',
    );
  const result = compareCsv(readCsv(args.expected), readCsv(args.actual), {
    tolerance,
    ignore: args.ignore,
    names: { expected: args.expected, actual: args.actual },
  });
  const clean = comparisonIsClean(result);
  if (args.json) console.log(JSON.stringify({ clean, tolerance, ...result }, null, 2));
  else if (clean)
    console.log(`same within tolerance (${describe(tolerance)}): ${args.actual} matches ${args.expected}`);
  else console.log(formatComparison(result, { expected: 'expected', actual: 'actual' }));
  if (!clean) setExitCode(1);
}

/** `compare` exits 1 when it finds a difference (like diff), so CI can tell drift from a crash. */
export function compareCommand(setExitCode: (code: number) => void): CommandModule<object, CompareArgs> {
  return {
    command: 'compare <expected> [actual]',
    describe:
      'compare two experiment CSVs cell by cell (numeric cells within --tolerance points), or one CSV with the paper (--paper)',
    builder: (y: Argv) =>
      y
        .positional('expected', {
          type: 'string',
          demandOption: true,
          describe: 'reference CSV (with --paper: the CSV to check)',
        })
        .positional('actual', { type: 'string', describe: 'CSV to check' })
        .options(COMPARE_OPTIONS)
        .example(
          '$0 compare results/reference/smoke/table1.csv results/smoke/table1.csv',
          'exits 1 if any cell differs (backend ignored)',
        )
        .example(
          '$0 compare old.csv new.csv --tolerance 1 --tolerance robustness=3',
          'numbers may differ by 1 point, robustness by 3',
        )
        .example(
          '$0 compare results/quick/table1.csv --paper',
          "each run's Δ against relu-relu beside the paper's Table 1 Δ, and the order of the runs",
        ) as unknown as Argv<CompareArgs>,
    handler: (args) =>
      args.paper
        ? comparePaper(args, parseTolerances(args.tolerance ?? [String(PAPER_TOLERANCE)]), setExitCode)
        : compareTwo(args, setExitCode),
  };
}

function describe(t: Tolerances): string {
  return [`${t.default} points`, ...Object.entries(t.columns).map(([c, v]) => `${c} ${v}`)].join(', ');
}

/** The baseline a CSV's deltas are measured against: --baseline, else the built-in experiment holding its runs. */
function baselineOf(csvText: string, file: string, given: string | undefined): string {
  const runs = [...rowsByRun(csvText, file).keys()];
  const ids = new Set(runs.map((run) => run.split('@')[0]));
  if (given !== undefined) {
    if (!ids.has(given))
      throw new UserError(
        'unknown-run',
        `--baseline: ${file} has no run "${given}"`,
        `name one of its runs: ${[...ids].join(', ')}`,
      );
    return given;
  }
  const known = Object.values(EXPERIMENTS as Record<string, ExperimentConfig>).find((e) =>
    [...ids].every((id) => e.runs.some((r) => r.id === id)),
  );
  if (known) return known.baseline;
  throw new UserError(
    'unknown-baseline',
    `compare --paper: ${file}'s runs (${[...ids].join(', ')}) are not those of a built-in experiment, so its baseline is unknown`,
    'name it with --baseline <run>',
  );
}

function comparePaper(args: CompareArgs, tolerance: Tolerances, setExitCode: (code: number) => void): void {
  if (args.actual)
    throw new UserError(
      'usage',
      `compare --paper: expected one CSV, got two (${args.expected}, ${args.actual})`,
      'drop the second CSV',
    );
  const text = readCsv(args.expected);
  const comparison = compareWithPaper(text, {
    baseline: baselineOf(text, args.expected, args.baseline),
    tolerance,
    name: args.expected,
  });
  const gaps = args.levels ? paperGaps(text, tolerance, args.expected) : undefined;
  const clean = paperComparisonIsClean(comparison) && !(args.strict && gaps?.some((g) => g.outside));
  if (args.json)
    console.log(JSON.stringify({ clean, tolerance, ...comparison, ...(gaps ? { levels: gaps } : {}) }, null, 2));
  else
    console.log(
      [formatPaperComparison(comparison, describe(tolerance)), ...(gaps ? ['', formatPaperGaps(gaps)] : [])].join('\n'),
    );
  if (!clean) setExitCode(1);
}
