import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { storageError } from '../../src/util/errors';
import { tempDir } from '../helpers/cli';

const out = tempDir('storage-errors');
const inOut = path.join(out, 'smoke', 'fig3', 'relu', 'seed-0', 'metrics.json');
fs.mkdirSync(path.dirname(inOut), { recursive: true }); // the folder is there, the file need not be
const gone = path.join(out, 'vanished', 'seed-0', '.metrics.json.1.2.tmp'); // its folder does not exist
const errno = (code: string, file?: string, syscall = 'open') =>
  Object.assign(new Error(`${code}: ...`), { code, path: file, syscall });
const AFTER = 'finished units are kept and the same command resumes';

/** Each write failure about the output folder becomes a UserError naming the path and the fix; others stay bugs. */
const CASES: Array<{ name: string; error: Error; outDir?: string; message?: RegExp; fix?: RegExp }> = [
  {
    name: 'a full disk',
    error: errno('ENOSPC', inOut, 'write'),
    outDir: out,
    message: /^--out .*: no space left on the device, got ENOSPC writing .*metrics\.json$/,
    fix: /^free space on .* or pass --out on another disk; finished units are kept and the same command resumes$/,
  },
  {
    name: 'a full disk seen by fsync, with no path at all',
    error: errno('ENOSPC', undefined, 'fsync'),
    outDir: out,
    message: /^--out .*: no space left on the device, got ENOSPC$/,
    fix: /^free space on /,
  },
  {
    name: 'a full disk without --out (eval next to its checkpoint)',
    error: errno('ENOSPC', inOut, 'write'),
    message: /^\/.*metrics\.json: no space left on the device/,
    fix: /^free space on .*seed-0 or pass --out/,
  },
  {
    name: 'a used-up quota',
    error: errno('EDQUOT', inOut, 'write'),
    outDir: out,
    message: /the disk quota is used up, got EDQUOT/,
    fix: /free space in your quota/,
  },
  {
    name: 'a read-only file system',
    error: errno('EROFS', inOut),
    outDir: out,
    message: /the file system is read-only, got EROFS at /,
    fix: /read-write or pass --out on a writable disk/,
  },
  {
    name: 'a forbidden output folder',
    error: errno('EACCES', inOut),
    outDir: out,
    message: /permission denied, got EACCES/,
    fix: /chmod, chown/,
  },
  {
    name: 'an operation refused in the output folder',
    error: errno('EPERM', inOut, 'rename'),
    outDir: out,
    message: /operation not permitted, got EPERM/,
    fix: /chmod, chown/,
  },
  {
    name: 'an output folder that vanished mid-run',
    error: errno('ENOENT', gone),
    outDir: out,
    message: /the folder was removed while the command ran, got ENOENT/,
    fix: /put .* back/,
  },
  { name: 'a missing file in a folder that is still there (a bug)', error: errno('ENOENT', inOut), outDir: out },
  { name: 'a missing input outside --out', error: errno('ENOENT', '/nonexistent/data/train.gz'), outDir: out },
  { name: 'a forbidden file outside --out', error: errno('EACCES', '/root/data.gz'), outDir: out },
  { name: 'an error with no errno code', error: new Error('no space left, but not from fs'), outDir: out },
];

for (const { name, error, outDir, message, fix } of CASES) {
  test(`${name} ${message ? 'is a user error naming the path and the fix' : 'stays an internal error'}`, () => {
    const mapped = storageError(error, { outDir, afterwards: AFTER });
    if (!message || !fix) return assert.equal(mapped, undefined);
    assert.ok(mapped, 'mapped to a UserError');
    assert.match(mapped.message, message);
    assert.match(mapped.fix, fix);
  });
}
