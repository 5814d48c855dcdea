import { dataError, formatCount } from './data-errors';
import type { ByteSplit } from './in-memory-dataset';

/**
 * Parses CIFAR-10's binary batches: records of 1 label byte + 3072 pixel bytes (1024 R, 1024 G, 1024 B, each a
 * 32×32 row-major plane), no header. Converted here to HWC bytes, the layout every other loader produces.
 */

export const CIFAR_SIDE = 32;
const PLANE = CIFAR_SIDE * CIFAR_SIDE;
const PIXEL_BYTES = 3 * PLANE;
export const CIFAR_RECORD_BYTES = 1 + PIXEL_BYTES; // 3073

/** Checks the structure of one batch file's bytes and returns its record count. */
export function checkCifarBatch(bytes: Uint8Array, file: string): number {
  if (bytes.length === 0) {
    throw dataError('data-empty', file, 'CIFAR-10 batch file is empty', '0 bytes');
  }
  const remainder = bytes.length % CIFAR_RECORD_BYTES;
  if (remainder !== 0) {
    const whole = Math.floor(bytes.length / CIFAR_RECORD_BYTES);
    throw dataError(
      'data-truncated',
      file,
      `size is not a whole number of ${CIFAR_RECORD_BYTES}-byte records`,
      `${formatCount(bytes.length)} bytes (${formatCount(whole)} records and ${formatCount(remainder)} bytes over)`,
    );
  }
  const count = bytes.length / CIFAR_RECORD_BYTES;
  for (let n = 0; n < count; n++) {
    const label = bytes[n * CIFAR_RECORD_BYTES];
    if (label > 9) throw dataError('data-bad-label', file, `record ${n} has a label outside 0–9`, `${label}`);
  }
  return count;
}

/** Parses several batch files (already read) into one split, in the order given. */
export function parseCifarBatches(batches: ReadonlyArray<{ file: string; bytes: Uint8Array }>): ByteSplit {
  const counts = batches.map(({ file, bytes }) => checkCifarBatch(bytes, file));
  const total = counts.reduce((a, b) => a + b, 0);
  const pixels = new Uint8Array(total * PIXEL_BYTES);
  const labels = new Uint8Array(total);
  let n = 0;
  batches.forEach(({ bytes }, b) => {
    for (let r = 0; r < counts[b]; r++, n++) {
      const record = r * CIFAR_RECORD_BYTES;
      labels[n] = bytes[record];
      chwToHwc(
        bytes.subarray(record + 1, record + CIFAR_RECORD_BYTES),
        pixels.subarray(n * PIXEL_BYTES, (n + 1) * PIXEL_BYTES),
      );
    }
  });
  return { pixels, labels };
}

/** [3, 32, 32] planes → [32, 32, 3] interleaved. */
function chwToHwc(source: Uint8Array, out: Uint8Array): void {
  for (let p = 0; p < PLANE; p++) {
    out[3 * p] = source[p];
    out[3 * p + 1] = source[PLANE + p];
    out[3 * p + 2] = source[2 * PLANE + p];
  }
}
