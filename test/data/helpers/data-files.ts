import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import type { TestContext } from 'node:test';

/**
 * Test helpers for src/data: where the shared real data lives, temp folders that clean up after themselves,
 * and generators for small valid files in each format. Never copies the shared files into the repo.
 */

/** $SAT_BENCH_DATA, else ../shared/data beside the repo (whose root is four levels above dist/test/data/helpers). */
export function sharedDataRoot(): string {
  return process.env.SAT_BENCH_DATA ?? path.resolve(__dirname, '..', '..', '..', '..', '..', 'shared', 'data');
}

/** The shared folder for one dataset, or undefined (after a visible skip) when absent. */
export function sharedDataset(t: TestContext, sub: string): string | undefined {
  const dir = path.join(sharedDataRoot(), sub);
  if (fs.existsSync(dir)) return dir;
  t.skip(`real data not found at ${dir}; set SAT_BENCH_DATA to a folder holding mnist/ and cifar10/`);
  return undefined;
}

export function tempDir(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sat-bench-data-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Raw IDX image bytes: header 2051, count, 28, 28, then pixel (n, r, c) = (n + r + c) mod 256. */
export function idxImages(count: number, options: { rows?: number; cols?: number; magic?: number } = {}): Buffer {
  const rows = options.rows ?? 28;
  const cols = options.cols ?? 28;
  const bytes = Buffer.alloc(16 + count * rows * cols);
  bytes.writeUInt32BE(options.magic ?? 2051, 0);
  bytes.writeUInt32BE(count, 4);
  bytes.writeUInt32BE(rows, 8);
  bytes.writeUInt32BE(cols, 12);
  for (let n = 0; n < count; n++) {
    for (let p = 0; p < rows * cols; p++)
      bytes[16 + n * rows * cols + p] = (n + Math.floor(p / cols) + (p % cols)) % 256;
  }
  return bytes;
}

/** Raw IDX label bytes: header 2049, count, then the labels. */
export function idxLabels(labels: number[], magic = 2049): Buffer {
  const bytes = Buffer.alloc(8 + labels.length);
  bytes.writeUInt32BE(magic, 0);
  bytes.writeUInt32BE(labels.length, 4);
  labels.forEach((label, i) => (bytes[8 + i] = label));
  return bytes;
}

/** Writes a small valid MNIST folder (gzip files); returns the bytes written by file name. */
export function writeTinyMnist(dir: string, counts = { train: 6, test: 4 }): Record<string, Buffer> {
  const files: Record<string, Buffer> = {
    'train-images-idx3-ubyte.gz': zlib.gzipSync(idxImages(counts.train)),
    'train-labels-idx1-ubyte.gz': zlib.gzipSync(idxLabels(Array.from({ length: counts.train }, (_, i) => i % 10))),
    't10k-images-idx3-ubyte.gz': zlib.gzipSync(idxImages(counts.test)),
    't10k-labels-idx1-ubyte.gz': zlib.gzipSync(idxLabels(Array.from({ length: counts.test }, (_, i) => (9 - i) % 10))),
  };
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), bytes);
  return files;
}

/** CIFAR records: label, then R, G, B planes with pixel (record n, channel c, position p) = (n + 10c + p) mod 256. */
export function cifarRecords(labels: number[]): Buffer {
  const bytes = Buffer.alloc(labels.length * 3073);
  labels.forEach((label, n) => {
    bytes[n * 3073] = label;
    for (let c = 0; c < 3; c++)
      for (let p = 0; p < 1024; p++) bytes[n * 3073 + 1 + c * 1024 + p] = (n + 10 * c + p) % 256;
  });
  return bytes;
}

export function errorCode(code: string, message?: RegExp): (error: unknown) => boolean {
  return (error: unknown) => {
    const e = error as { code?: string; message?: string };
    if (e.code !== code) throw new Error(`expected error code ${code}, got ${e.code}: ${e.message}`);
    if (message && !message.test(e.message ?? ''))
      throw new Error(`message ${JSON.stringify(e.message)} does not match ${message}`);
    return true;
  };
}
