/** `--json` on run, eval, list, doctor and report: one JSON document on stdout, every human line on stderr. */
export const JSON_OPTION = {
  type: 'boolean',
  default: false,
  describe: 'print one JSON document on stdout (human lines go to stderr)',
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
