import * as fs from 'node:fs';
import { formatResultsTable, resultsTable } from '../report/table';

/** `--json` on run, eval, list, doctor and report: one JSON document on stdout, every human line on stderr. */
export const JSON_OPTION = {
  type: 'boolean',
  default: false,
  describe: 'print one JSON document on stdout (human lines go to stderr)',
} as const;

/** `--verbose`: the lines a command leaves out by default (why a faster backend was not used). */
export const VERBOSE_OPTION = {
  type: 'boolean',
  default: false,
  describe: 'say more: why each faster backend was not used (sat-bench doctor says it too)',
} as const;

export interface Output {
  /** A line for people: stdout normally, stderr under --json (so stdout stays one JSON document). */
  human(line: string): void;
  /** The command's result: printed as JSON under --json, else nothing (its human lines were printed already). */
  result(document: unknown): void;
}

export function outputFor(json: boolean): Output {
  return {
    human: (line) => (json ? process.stderr : process.stdout).write(`${line}\n`),
    result: (document) => {
      if (json) process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    },
  };
}

/**
 * The results table of an experiment CSV, as `run`, `report` and `merge` end with it: the CSV's own cells (so the
 * terminal, the .md and the CSV agree), Δ against `baseline`.
 */
export function resultsTableText(csvPath: string, baseline: string): string {
  return formatResultsTable(resultsTable(fs.readFileSync(csvPath, 'utf8'), { baseline, paper: false }));
}
