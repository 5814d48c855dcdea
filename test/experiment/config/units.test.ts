import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fig3 from '../../../configs/fig3';
import { PRESETS } from '../../../configs/presets';
import {
  chooseSeeds,
  evalShardRange,
  listUnits,
  parseSeeds,
  parseShard,
  shardUnits,
  unitName,
} from '../../../src/experiment/config/units';

test('shards partition the (run, seed) units: every unit in exactly one shard', () => {
  const units = listUnits(fig3.runs, [0, 1, 2]);
  const parts = [1, 2, 3, 4].map((index) => shardUnits(units, { index, count: 4 }).map(unitName));
  assert.deepEqual(parts.flat().sort(), units.map(unitName).sort());
  // 21 units over 4 shards: 6, 5, 5, 5.
  assert.deepEqual(
    parts.map((p) => p.length),
    [6, 5, 5, 5],
  );
});

test('eval shard ranges are contiguous and cover every example once', () => {
  const ranges = [1, 2, 3].map((index) => evalShardRange(100, { index, count: 3 }));
  assert.deepEqual(ranges, [
    [0, 33],
    [33, 66],
    [66, 100],
  ]);
});

test("--seeds wins over --seed, --seed over the preset's list, and a preset without one trains seed 0", () => {
  const threeSeeds = { ...PRESETS.smoke, seeds: [0, 1, 2] };
  assert.deepEqual(chooseSeeds({ seeds: '4,5' }, threeSeeds), [4, 5]);
  assert.deepEqual(chooseSeeds({ seed: 7 }, threeSeeds), [7]);
  assert.deepEqual(chooseSeeds({}, threeSeeds), [0, 1, 2]);
  assert.deepEqual(chooseSeeds({}, PRESETS.smoke), [0]);
});

const BAD: Array<[() => unknown, RegExp]> = [
  [() => parseShard('0/3', '--shard'), /--shard: expected i\/n with 1 <= i <= n, got "0\/3"/],
  [() => parseShard('4/3', '--shard'), /got "4\/3"/],
  [() => parseShard('two', '--eval-shard'), /--eval-shard: .*got "two"/],
  [() => parseSeeds('0,0', '--seeds'), /distinct integers.*got "0,0"/],
  [() => parseSeeds('1,-2', '--seeds'), /got "1,-2"/],
];
for (const [call, message] of BAD) {
  test(`rejects ${message.source.slice(-14)}`, () => assert.throws(call, message));
}
