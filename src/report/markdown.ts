import { REPORT_COLUMNS, reportCells, type ReportRow } from './table';

export interface ReportHeading {
  title: string;
  /** One line on the scale these numbers come from (preset, data, model, ε, attack). */
  setting: string;
}

const escapeCell = (text: string) => text.replace(/\|/g, '\\|');

/** A markdown table row per run, ours beside the paper's (ImageNet, ResNet-50, ε = 4/255). */
export function markdownTable(rows: readonly ReportRow[]): string {
  const header = `| ${REPORT_COLUMNS.join(' | ')} |`;
  const rule = `| ${REPORT_COLUMNS.map((_, c) => (c === 0 ? '---' : '---:')).join(' | ')} |`;
  return [header, rule, ...rows.map((row) => `| ${reportCells(row).map(escapeCell).join(' | ')} |`)].join('\n');
}

/** Rows under a heading of their own: one sweep point (`epsilon = 0.1`). */
export interface ReportGroup {
  heading: string;
  rows: readonly ReportRow[];
}

/** The whole report file: heading, setting, table (or one table per sweep point), and what the paper's columns are. */
export function markdownReport(heading: ReportHeading, rows: readonly ReportRow[], groups?: readonly ReportGroup[]): string {
  const tables = groups ? groups.flatMap((g) => [`## ${g.heading}`, '', markdownTable(g.rows), '']) : [markdownTable(rows), ''];
  return [
    `# ${heading.title}`,
    '',
    heading.setting,
    '',
    ...tables,
    "Accuracy and robustness in percent; ours are the mean ± sample standard deviation (n − 1) over seeds. The paper's columns are",
    'its ImageNet numbers (ResNet-50, ε = 4/255, PGD-200): compare the ordering of the runs, not the values.',
    '',
  ].join('\n');
}
