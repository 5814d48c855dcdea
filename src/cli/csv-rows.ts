import * as fs from 'node:fs';
import { parse } from 'csv-parse/sync';

/** An experiment CSV as objects by column name: the `rows` of `run --json` and `report --json`. */
export function csvRows(file: string): Array<Record<string, string>> {
  return parse(fs.readFileSync(file, 'utf8'), { columns: true }) as Array<Record<string, string>>;
}
