import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readPath, settablePaths, writePath, type Json } from '../../../src/experiment/config/dot-paths';

const CONFIG = { epsilon: 0.1, train: { epochs: 2, schedule: { kind: 'step', milestones: [1, 2] } } };

test('settable paths are the leaves (arrays whole), then every object and array', () => {
  assert.deepEqual(settablePaths(CONFIG), [
    'epsilon',
    'train.epochs',
    'train.schedule.kind',
    'train.schedule.milestones',
    'train',
    'train.schedule',
    'train.schedule.milestones',
  ]);
});

test('writing a dot-path changes that value only, and reading it back gives it', () => {
  const copy = structuredClone(CONFIG) as unknown as { [key: string]: Json };
  writePath(copy, 'train.schedule.milestones', [3]);
  writePath(copy, 'epsilon', 0.2);
  assert.deepEqual(readPath(copy, 'train.schedule.milestones'), [3]);
  assert.deepEqual(copy, { epsilon: 0.2, train: { epochs: 2, schedule: { kind: 'step', milestones: [3] } } });
});
