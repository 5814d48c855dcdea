import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Writes a file so that readers see either the old content or the new, never a torn file:
 * write to a temp file in the same folder, fsync, rename, fsync the folder. On failure (a full disk) the temp file
 * is removed and the old content stays.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  writeFilesAtomic([[file, data]]);
}

/**
 * Several files, each atomically: every temp copy is written (fsynced) first, then all are renamed, so a failure
 * while writing (ENOSPC) leaves every old file as it was and no temp file behind. `beforeRename` runs between the
 * two halves (a test's kill point).
 */
export function writeFilesAtomic(
  files: ReadonlyArray<readonly [string, string | Uint8Array]>,
  beforeRename: () => void = () => undefined,
): void {
  const temps: string[] = [];
  try {
    for (const [file, data] of files) temps.push(writeSyncedTemp(file, data));
    beforeRename();
    files.forEach(([file], i) => fs.renameSync(temps[i], file));
  } catch (error) {
    for (const temp of temps) fs.rmSync(temp, { force: true });
    throw error;
  }
  for (const dir of new Set(files.map(([file]) => path.dirname(file)))) syncDirectory(dir);
}

/** The first half of an atomic write: `data` in a fsynced temp file beside `file`; the caller renames it. */
export function writeSyncedTemp(file: string, data: string | Uint8Array): string {
  const dir = path.dirname(file);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw withPath(error, dir);
  }
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSynced(temp, data);
  } catch (error) {
    // Name the file the user knows, not its temp copy (already removed).
    if ((error as NodeJS.ErrnoException).path === temp) (error as NodeJS.ErrnoException).path = file;
    throw error;
  }
  return temp;
}

/**
 * `data` in `file`, fsynced. On failure the partial file is removed and the error names `file` (`error.path`: a
 * failed write or fsync names no path of its own), so the CLI can say where the disk is full.
 */
export function writeFileSynced(file: string, data: string | Uint8Array): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'w');
    writeAll(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    fs.fsyncSync(fd);
  } catch (error) {
    if (fd !== undefined) fs.rmSync(file, { force: true });
    throw withPath(error, file);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** writeSync may write less than asked (a nearly full disk fills mid-call) and says so only by its count. */
function writeAll(fd: number, bytes: Uint8Array): void {
  for (let offset = 0; offset < bytes.byteLength;) offset += fs.writeSync(fd, bytes, offset, bytes.byteLength - offset);
}

/** Node's errno errors from fd calls carry no path; give them the file's. */
function withPath(error: unknown, file: string): unknown {
  const errno = error as NodeJS.ErrnoException;
  if (error instanceof Error && typeof errno.code === 'string' && errno.path === undefined) errno.path = file;
  return error;
}

function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some filesystems refuse fsync on directories; the rename is still atomic there.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}
