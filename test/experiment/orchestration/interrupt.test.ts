import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  DUPLICATE_SIGNAL_MS,
  interruptibleProgress,
  watchInterrupts,
} from '../../../src/experiment/orchestration/interrupt';
import { NO_PROGRESS } from '../../../src/util/progress';

/** Runs `body` with process.exit replaced by a recorder (the listeners are called through process.emit, no real signal). */
function withExitRecorded(body: (exits: number[]) => void): void {
  const exits: number[] = [];
  const exit = process.exit;
  process.exit = ((code?: number) => {
    exits.push(code ?? 0);
  }) as typeof process.exit;
  try {
    body(exits);
  } finally {
    process.exit = exit;
  }
}

test('one SIGTERM asks for a checkpoint and does not quit', () => {
  withExitRecorded((exits) => {
    const watch = watchInterrupts(NO_PROGRESS);
    try {
      process.emit('SIGTERM', 'SIGTERM');
      assert.equal(watch.requested(), 'SIGTERM');
      assert.throws(() => watch.check('at a batch'), /SIGTERM: stopped at a batch/);
      assert.deepEqual(exits, []);
    } finally {
      watch.dispose();
    }
  });
});

test('the same SIGTERM by a second path (a scheduler signalling every process, the launcher forwarding) still checkpoints', () => {
  let clock = 1000;
  withExitRecorded((exits) => {
    const watch = watchInterrupts(NO_PROGRESS, () => clock);
    try {
      process.emit('SIGTERM', 'SIGTERM');
      clock += 50; // the launcher's forwarded copy, 50 ms later
      process.emit('SIGTERM', 'SIGTERM');
      assert.deepEqual(exits, [], 'a copy within DUPLICATE_SIGNAL_MS is the same request');
      assert.equal(watch.requested(), 'SIGTERM');
      clock += DUPLICATE_SIGNAL_MS;
      process.emit('SIGINT', 'SIGINT');
      assert.deepEqual(exits, [130], 'a signal sent again later quits at once');
    } finally {
      watch.dispose();
    }
  });
});

test('an interruptible progress stops at the first update after a signal, naming where as it stands then', () => {
  withExitRecorded(() => {
    const watch = watchInterrupts(NO_PROGRESS);
    let saved = 0;
    const progress = interruptibleProgress(NO_PROGRESS, watch, () => `evaluating (${saved} batches saved)`);
    try {
      saved = 2;
      progress.update(2);
      process.emit('SIGINT', 'SIGINT');
      saved = 3;
      assert.throws(() => progress.update(3), /SIGINT: stopped evaluating \(3 batches saved\); run the same command/);
    } finally {
      watch.dispose();
    }
  });
});
