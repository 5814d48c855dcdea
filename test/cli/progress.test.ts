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

test('without a TTY, many short phases in a row still print a heartbeat at least every HEARTBEAT_SECONDS', () => {
  // eval's attacks: 12 phases of 4 batches × 5 s (20 s each, shorter than the heartbeat), 240 s in all.
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk) => (text += chunk));
  let clock = Date.UTC(2026, 10, 30, 12, 0, 0);
  const progress = terminalProgress(stream as unknown as NodeJS.WriteStream, () => clock);
  for (let phase = 0; phase < 12; phase++) {
    progress.begin(`relu/seed-0 attack-${phase}`, 4);
    for (let done = 1; done <= 4; done++) {
      clock += 5_000;
      progress.update(done);
    }
    progress.end();
  }
  const times = text
    .trim()
    .split('\n')
    .map((line) => Date.parse(line.split(' ')[0]));
  // A line once 30 s have passed since the last one (batches are 5 s apart): at 30 s, 60 s, ..., 240 s.
  assert.equal(times.length, 240 / HEARTBEAT_SECONDS);
  times.forEach((t, i) =>
    assert.equal(t - (i === 0 ? Date.UTC(2026, 10, 30, 12, 0, 0) : times[i - 1]), HEARTBEAT_SECONDS * 1000),
  );
  assert.match(text, /^2026-11-30T12:00:30\.000Z relu\/seed-0 attack-1 2\/4$/m);
});
