import type { ResultsTable } from './table';

export interface ReportHeading {
  title: string;
  /** One line on the scale these numbers come from (preset, data, model, ε, attack). */
  setting: string;
}

const escapeCell = (text: string) => text.replace(/\|/g, '\\|');

/** A markdown table: the first column and the last two (sanity, status) left-aligned, the numbers right. */
export function markdownTable(header: readonly string[], rows: readonly string[][]): string {
  const text = (c: number) => c === 0 || c >= header.length - 2;
  const line = (cells: readonly string[]) => `| ${cells.map(escapeCell).join(' | ')} |`;
  return [line(header), `| ${header.map((_, c) => (text(c) ? '---' : '---:')).join(' | ')} |`, ...rows.map(line)].join(
    '\n',
  );
}

/** The whole report file: heading, setting, the results table (one per sweep point under its heading), legend. */
export function markdownReport(heading: ReportHeading, table: ResultsTable): string {
  const tables = table.groups.flatMap((g) => [
    ...(g.heading ? [`## ${g.heading}`, ''] : []),
    markdownTable(table.header, g.rows),
    '',
  ]);
  return [`# ${heading.title}`, '', heading.setting, '', ...tables, ...table.legend, ''].join('\n');
}
