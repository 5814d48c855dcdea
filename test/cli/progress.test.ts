import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { HEARTBEAT_SECONDS, terminalProgress } from '../../src/cli/progress';

test('without a TTY, a long phase prints a timestamped heartbeat at most every HEARTBEAT_SECONDS, and log lines always', () => {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk) => (text += chunk));
  let clock = Date.UTC(2026, 10, 30, 12, 0, 0);
  const progress = terminalProgress(stream as unknown as NodeJS.WriteStream, () => clock);
  progress.begin('relu seed 0 epoch 1/2', 100);
  for (let done = 1; done <= 100; done++) {
    clock += 10_000; // one batch every 10 s: 1000 s in all
    progress.update(done, `loss ${(2 - done / 100).toFixed(2)}`);
  }
  progress.log('relu seed 0 epoch 1/2: done');
  const lines = text.trim().split('\n');
  // A line once HEARTBEAT_SECONDS (30 s = 3 batches) have passed since the last: batches 3, 6, ..., 99.
  assert.equal(lines.length, Math.floor(100 / (HEARTBEAT_SECONDS / 10)) + 1);
  assert.equal(lines[0], '2026-11-30T12:00:30.000Z relu seed 0 epoch 1/2 3/100 loss 1.97');
  assert.equal(lines.at(-1), 'relu seed 0 epoch 1/2: done');
});
