import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { dataError, findBadLabel, formatCount } from './data-errors';

/**
 * Parses MNIST's IDX files (gzip or raw) into typed arrays. Only unsigned-byte IDX files exist in MNIST, so that is
 * all this accepts; every header field is checked against the bytes that follow it.
 */

export type IdxKind = 'images' | 'labels';

const MAGIC: Record<IdxKind, number> = { images: 2051, labels: 2049 }; // 0x00000803, 0x00000801: ubyte, 3 or 1 dims
const HEADER_BYTES: Record<IdxKind, number> = { images: 16, labels: 8 };
const MNIST_SIDE = 28;

export interface IdxImages {
  count: number;
  rows: number;
  cols: number;
  pixels: Uint8Array; // [count, rows, cols], row-major, 0 = background
}

export interface IdxLabels {
  count: number;
  labels: Uint8Array; // [count], values 0–9
}

/** gzip files start with 1f 8b; anything else is taken as a raw IDX file. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Inflates a gzip buffer. A truncated stream is inflated as far as it goes (SYNC_FLUSH) rather than rejected, so the
 * header-vs-length check below can say how much is missing instead of zlib's bare "unexpected end of file".
 */
export function gunzipTolerant(bytes: Uint8Array, file: string): Uint8Array {
  try {
    return zlib.gunzipSync(bytes, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  } catch (error) {
    throw dataError('data-corrupt-gzip', file, 'gzip data is corrupt', `zlib error "${(error as Error).message}"`);
  }
}

/** Reads a file and inflates it when it is gzip. */
export function readMaybeGzip(file: string): Uint8Array {
  const bytes = fs.readFileSync(file);
  return isGzip(bytes) ? gunzipTolerant(bytes, file) : bytes;
}

function checkHeader(bytes: Uint8Array, file: string, kind: IdxKind): DataView {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Magic first: a wrong file is a clearer message than a short one, even when it is both.
  const magic = bytes.length >= 4 ? view.getUint32(0) : undefined;
  if (magic !== undefined && magic !== MAGIC[kind]) {
    throw dataError(
      'data-bad-magic',
      file,
      `not an IDX ${kind} file (magic number should be ${MAGIC[kind]})`,
      `${magic}`,
      `check that this is the MNIST ${kind} file, not another file under its name; copy it again, or set SAT_BENCH_DATA to a complete copy`,
    );
  }
  if (bytes.length < HEADER_BYTES[kind]) {
    throw dataError(
      'data-truncated',
      file,
      `too short for an IDX ${kind} header (${HEADER_BYTES[kind]} bytes)`,
      `${bytes.length} bytes`,
    );
  }
  return view;
}

function checkLength(bytes: Uint8Array, file: string, header: string, expected: number): void {
  if (bytes.length < expected) {
    throw dataError(
      'data-truncated',
      file,
      `header says ${header} (${formatCount(expected)} bytes), but the data is shorter`,
      `${formatCount(bytes.length)} bytes`,
    );
  }
  if (bytes.length > expected) {
    throw dataError(
      'data-size-mismatch',
      file,
      `header says ${header} (${formatCount(expected)} bytes), but the data is longer`,
      `${formatCount(bytes.length)} bytes`,
    );
  }
}

/** Parses decompressed IDX image bytes; MNIST images must be 28×28. */
export function parseIdxImages(bytes: Uint8Array, file: string): IdxImages {
  const view = checkHeader(bytes, file, 'images');
  const count = view.getUint32(4);
  const rows = view.getUint32(8);
  const cols = view.getUint32(12);
  if (rows !== MNIST_SIDE || cols !== MNIST_SIDE) {
    throw dataError('data-bad-shape', file, `MNIST images must be ${MNIST_SIDE}×${MNIST_SIDE}`, `${rows}×${cols}`);
  }
  checkLength(
    bytes,
    file,
    `${formatCount(count)} images of ${rows}×${cols}`,
    HEADER_BYTES.images + count * rows * cols,
  );
  return { count, rows, cols, pixels: bytes.subarray(HEADER_BYTES.images) };
}

/** Parses decompressed IDX label bytes; labels must be digits 0–9. */
export function parseIdxLabels(bytes: Uint8Array, file: string): IdxLabels {
  const view = checkHeader(bytes, file, 'labels');
  const count = view.getUint32(4);
  checkLength(bytes, file, `${formatCount(count)} labels`, HEADER_BYTES.labels + count);
  const labels = bytes.subarray(HEADER_BYTES.labels);
  const bad = findBadLabel(labels, 10);
  if (bad) throw dataError('data-bad-label', file, `label ${bad.index} is outside 0–9`, `${bad.value}`);
  return { count, labels };
}

/** Reads and parses one IDX file, gzip or raw. */
export function readIdxImages(file: string): IdxImages {
  return parseIdxImages(readMaybeGzip(file), file);
}

export function readIdxLabels(file: string): IdxLabels {
  return parseIdxLabels(readMaybeGzip(file), file);
}
