import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tar from 'tar';
import { UserError } from '../util/errors';
import { downloadFile, type DownloadOptions } from './download';
import { DATASET_SOURCES, type DatasetSource, type FetchableDataset } from './sources';
import { verifyDataset, type VerifyOptions } from './verify';

/**
 * `sat-bench data fetch <name>`: download, check the published MD5s, unpack, and install as `<root>/<name>` with one
 * rename of a temp folder made next to it. Until that rename nothing is visible under the final name, and the temp
 * folder is removed on every failure, so an interrupted or corrupt download leaves nothing behind.
 */

export interface FetchOptions extends DownloadOptions, VerifyOptions {
  /** Folder that will hold `<name>/`; the CLI passes userCacheRoot() unless told otherwise. */
  root: string;
  /** Replaces the source's base URL (tests serve files from 127.0.0.1). */
  baseUrl?: string;
  log?: (line: string) => void;
}

function manualFix(name: FetchableDataset, source: DatasetSource, base: string, target: string): string {
  const urls = source.files.map((file) => base + file.name).join(' ');
  return (
    `check the network and run the command again; or download ${urls} on a machine that can, ` +
    `${source.manualSteps} in ${target}, and run \`sat-bench data verify ${name}\``
  );
}

async function downloadAll(
  name: FetchableDataset,
  source: DatasetSource,
  stage: string,
  target: string,
  options: FetchOptions,
): Promise<void> {
  const base = (options.baseUrl ?? source.baseUrl).replace(/\/?$/, '/');
  for (const file of source.files) {
    const url = base + file.name;
    options.log?.(`downloading ${url}`);
    let md5: string;
    try {
      ({ md5 } = await downloadFile(url, path.join(stage, file.name), options));
    } catch (error) {
      throw new UserError(
        'fetch-failed',
        `${url}: download failed, got "${(error as Error).message}".`,
        manualFix(name, source, base, target),
      );
    }
    const expected = options.expectedMd5?.[file.name] ?? file.md5;
    if (md5 !== expected) {
      throw new UserError(
        'fetch-checksum',
        `${url}: MD5 does not match the published ${expected}, got ${md5}.`,
        `the download is damaged or the server sent another file; run the command again, or ${manualFix(name, source, base, target)}`,
      );
    }
    options.log?.(`  ${file.name}: MD5 ${md5} ok`);
  }
}

/** Unpacks the archive and returns the folder whose contents become the dataset. */
async function unpack(source: DatasetSource, work: string): Promise<string> {
  if (!source.tarFolder) return work;
  const archive = path.join(work, source.files[0].name);
  const extracted = path.join(work, 'extracted');
  fs.mkdirSync(extracted);
  try {
    await tar.x({ file: archive, cwd: extracted, strict: true });
  } catch (error) {
    throw new UserError(
      'fetch-bad-archive',
      `${archive}: archive cannot be unpacked, got "${(error as Error).message}".`,
      'run the command again; if it fails the same way, the server sends a damaged archive',
    );
  }
  const inner = path.join(extracted, source.tarFolder);
  if (!fs.existsSync(inner)) {
    throw new UserError(
      'fetch-bad-archive',
      `${archive}: archive lacks the folder ${source.tarFolder}/, got ${fs.readdirSync(extracted).join(', ') || 'nothing'}.`,
      'the server sent another archive; download it by hand and check its contents',
    );
  }
  fs.rmSync(archive);
  return inner;
}

/** Downloads and installs a dataset; resolves with its folder. An existing, verified copy is left as it is. */
export async function fetchDataset(name: FetchableDataset, options: FetchOptions): Promise<string> {
  const source: DatasetSource = DATASET_SOURCES[name];
  const target = path.join(path.resolve(options.root), name);
  if (fs.existsSync(target)) {
    try {
      await verifyDataset(name, target, options);
    } catch (error) {
      throw new UserError(
        'fetch-target-exists',
        `${target}: folder exists but does not verify, got "${(error as Error).message}".`,
        `move or delete ${target} and run the command again`,
      );
    }
    options.log?.(`${name} is already installed in ${target}`);
    return target;
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const work = fs.mkdtempSync(path.join(path.dirname(target), `.${name}.download-`)); // same filesystem: rename is atomic
  try {
    await downloadAll(name, source, work, target, options);
    const contents = await unpack(source, work);
    await verifyDataset(name, contents, options); // structure, before anyone can see it under its final name
    fs.renameSync(contents, target);
    options.log?.(`installed ${name} in ${target}`);
    return target;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
