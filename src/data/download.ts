import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * One HTTP(S) GET to a file, hashing as it goes. Fails fast without network (a short wait for the response) and
 * never accepts a short body: a cut connection or a Content-Length mismatch is an error, not a smaller file.
 * Errors here are plain Errors with a short reason; fetch.ts turns them into UserErrors naming the URL.
 */

export interface DownloadOptions {
  /** Time allowed from request to response headers. */
  connectTimeoutMs?: number;
  /** Time allowed without any bytes once the body flows. */
  idleTimeoutMs?: number;
}

const MAX_REDIRECTS = 5;

function requestOnce(
  url: string,
  options: Required<DownloadOptions>,
  redirectsLeft: number,
): Promise<http.IncomingMessage> {
  const client = new URL(url).protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.get(url, { headers: { 'user-agent': 'sat-bench' } }, (response) => {
      clearTimeout(connectTimer);
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400 && response.headers.location && redirectsLeft > 0) {
        response.resume();
        resolve(requestOnce(new URL(response.headers.location, url).href, options, redirectsLeft - 1));
      } else if (status !== 200) {
        response.resume();
        reject(new Error(`HTTP status ${status}`));
      } else {
        resolve(response);
      }
    });
    const connectTimer = setTimeout(
      () => request.destroy(new Error(`no response within ${options.connectTimeoutMs / 1000} s (offline?)`)),
      options.connectTimeoutMs,
    );
    request.setTimeout(options.idleTimeoutMs, () =>
      request.destroy(new Error(`no data for ${options.idleTimeoutMs / 1000} s`)),
    );
    request.on('error', (error) => {
      clearTimeout(connectTimer);
      reject(error);
    });
  });
}

/** Downloads `url` to `dest`; resolves with the byte count and MD5 of what was written. */
export async function downloadFile(
  url: string,
  dest: string,
  options: DownloadOptions = {},
): Promise<{ bytes: number; md5: string }> {
  const resolved = {
    connectTimeoutMs: options.connectTimeoutMs ?? 15000,
    idleTimeoutMs: options.idleTimeoutMs ?? 60000,
  };
  const response = await requestOnce(url, resolved, MAX_REDIRECTS);
  const hash = crypto.createHash('md5');
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  await pipeline(response, tap, fs.createWriteStream(dest));
  const expected = Number(response.headers['content-length']);
  if (Number.isFinite(expected) && bytes !== expected) {
    throw new Error(`connection ended after ${bytes} of ${expected} bytes`);
  }
  if (!response.complete) throw new Error(`connection ended after ${bytes} bytes, before the end of the file`);
  return { bytes, md5: hash.digest('hex') };
}

/** MD5 of a file on disk, streamed. */
export async function md5File(file: string): Promise<string> {
  const hash = crypto.createHash('md5');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
