import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { KILL_POINTS, KillSwitch, NEVER_KILL, type KillPoint } from '../../../src/experiment/store/kill-point';

const POINTS = Object.keys(KILL_POINTS) as KillPoint[];

test('without SAT_BENCH_TEST_KILL_AT, reaching every point (many times) does nothing', () => {
  const fromEnv = KillSwitch.fromEnv({});
  for (let i = 0; i < 3; i++)
    for (const point of POINTS) {
      fromEnv.reach(point);
      NEVER_KILL.reach(point);
    }
});

test('a kill point that does not exist is refused with the known ones listed', () => {
  assert.throws(
    () => KillSwitch.fromEnv({ SAT_BENCH_TEST_KILL_AT: 'train-stepp:2' }),
    /unknown point "train-stepp" \(known: train-step, checkpoint-write/,
  );
});

test('a switch aimed at one point lets every other point pass', () => {
  const kill = KillSwitch.fromEnv({ SAT_BENCH_TEST_KILL_AT: 'report-write' });
  for (const point of POINTS.filter((p) => p !== 'report-write')) kill.reach(point);
});
