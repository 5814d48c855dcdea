import * as path from 'node:path';

/**
 * The files of a preset folder, `<out>/<preset>/`, besides the experiments' folders of seed folders: each
 * experiment's CSV and markdown table, rebuilt from the seed folders after every run (write-reports.ts); its plan
 * (plan.ts); and the HTML report of every experiment there, with its charts (src/report/html).
 */
export function experimentCsvPath(presetDir: string, experiment: string): string {
  return path.join(presetDir, `${experiment}.csv`);
}

export function experimentMarkdownPath(presetDir: string, experiment: string): string {
  return path.join(presetDir, `${experiment}.md`);
}
