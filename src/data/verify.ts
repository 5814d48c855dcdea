import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../util/errors';
import { checkCifarBatch } from './cifar-reader';
import { CIFAR10_FULL_COUNTS, listCifarBatchFiles } from './cifar10';
import { formatCount, labelHistogram } from './data-errors';
import { md5File } from './download';
import { isGzip } from './idx-reader';
import { MNIST_FILES, findMnistFile, readMnistSplit } from './mnist';
import { DATASET_SOURCES, MNIST_RAW_MD5, type FetchableDataset } from './sources';
import type { Split } from './types';

/**
 * `sat-bench data verify <name>`: checks a copy without training on it. Every problem is collected and reported
 * together (one UserError listing them all), so one run tells the user everything to fix.
 */

export interface VerifyReport {
  dataset: FetchableDataset;
  dir: string;
  lines: string[]; // one per check passed, for the CLI to print
  warnings: string[];
}

const SPLITS: readonly Split[] = ['train', 'test'];

function messageOf(error: unknown): string {
  if (error instanceof UserError) return error.message;
  throw error; // not a data problem: a bug, reported as one
}

export interface VerifyOptions {
  /** Replaces published MD5s by file name (fetch passes its test overrides through). */
  expectedMd5?: Readonly<Record<string, string>>;
  /** Records in a whole CIFAR-10 batch file: 10,000; tests serve smaller archives. */
  recordsPerBatch?: number;
}

async function verifyMnist(
  dir: string,
  report: VerifyReport,
  problems: string[],
  options: VerifyOptions,
): Promise<void> {
  const published = new Map(DATASET_SOURCES.mnist.files.map((f) => [f.name, options.expectedMd5?.[f.name] ?? f.md5]));
  for (const split of SPLITS) {
    let missing = false;
    for (const baseName of Object.values(MNIST_FILES[split])) {
      const file = findMnistFile(dir, baseName);
      if (!file) {
        problems.push(
          `${path.join(dir, `${baseName}.gz`)}: MNIST file not found (nor its unpacked form), got no such file.`,
        );
        missing = true;
        continue;
      }
      const gzip = isGzip(fs.readFileSync(file).subarray(0, 2));
      const expected = gzip ? published.get(`${baseName}.gz`) : MNIST_RAW_MD5[baseName];
      const md5 = await md5File(file);
      if (md5 === expected)
        report.lines.push(`${file}: MD5 ${md5} matches the ${gzip ? 'published' : 'unpacked original'} file`);
      else
        problems.push(
          `${file}: MD5 does not match the ${gzip ? 'published' : 'unpacked original'} ${expected}, got ${md5}.`,
        );
    }
    if (missing) continue;
    try {
      const data = readMnistSplit(dir, split);
      report.lines.push(
        `${split}: ${formatCount(data.labels.length)} images, labels ${JSON.stringify(labelHistogram(data.labels, 10))}`,
      );
    } catch (error) {
      problems.push(messageOf(error));
    }
  }
}

function verifyCifar(dir: string, report: VerifyReport, problems: string[], options: VerifyOptions): void {
  const whole = options.recordsPerBatch ?? 10000;
  for (const split of SPLITS) {
    const files = listCifarBatchFiles(dir, split);
    if (files.length === 0)
      problems.push(
        `${dir}: no CIFAR-10 ${split} batch found, got no ${split === 'train' ? 'data_batch_*.bin' : 'test_batch*.bin'}.`,
      );
    let total = 0;
    for (const file of files) {
      try {
        const bytes = fs.readFileSync(file);
        const count = checkCifarBatch(bytes, file);
        total += count;
        const labels = Uint8Array.from({ length: count }, (_, n) => bytes[n * 3073]);
        report.lines.push(
          `${file}: ${formatCount(count)} records, labels ${JSON.stringify(labelHistogram(labels, 10))}`,
        );
        const canonical = /^(data_batch_\d+|test_batch)\.bin$/.test(path.basename(file));
        if (canonical && count !== whole)
          problems.push(`${file}: a whole batch holds ${formatCount(whole)} records, got ${formatCount(count)}.`);
      } catch (error) {
        problems.push(messageOf(error));
      }
    }
    if (files.length > 0 && total < CIFAR10_FULL_COUNTS[split]) {
      report.warnings.push(
        `cifar10-partial: ${formatCount(total)} of ${formatCount(CIFAR10_FULL_COUNTS[split])} ${split} records`,
      );
    }
  }
}

/** Verifies a dataset folder; resolves with what was checked, or throws one UserError listing every problem. */
export async function verifyDataset(
  name: FetchableDataset,
  dir: string,
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  const report: VerifyReport = { dataset: name, dir, lines: [], warnings: [] };
  const problems: string[] = [];
  if (!fs.existsSync(dir)) problems.push(`${dir}: folder does not exist, got no such folder.`);
  else if (name === 'mnist') await verifyMnist(dir, report, problems, options);
  else verifyCifar(dir, report, problems, options);
  if (problems.length > 0) {
    throw new UserError(
      'data-verify-failed',
      `${name} in ${dir}: ${problems.length} problem(s):\n  - ${problems.join('\n  - ')}`,
      `copy the files again or run \`sat-bench data fetch ${name}\` into an empty folder; SAT_BENCH_DATA can point at a complete copy`,
    );
  }
  return report;
}
