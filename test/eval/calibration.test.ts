import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { PRESET_CALIBRATIONS, UNCALIBRATED_PRESETS } from '../../configs/calibration';
import { PRESETS } from '../../src/experiment/config/registry';
import {
  CALIBRATION_TOLERANCE_POINTS,
  calibrationGaps,
  calibrationLine,
  passesCalibration,
  type SuiteCalibration,
} from '../../src/eval/calibration';
import { runsAutoAttack } from '../../src/eval/suites';

const record = (rows: Array<[number, number]>): SuiteCalibration => ({
  suite: 'light',
  examples: 100,
  experiment: 'table1',
  commands: ['sat-bench eval <seed folder> --attack autoattack'],
  measured: '2026-12-07',
  machine: 'test',
  rows: rows.map(([suiteWorst, autoAttack], i) => ({ run: `row-${i}`, seed: 0, pgd: 60, suiteWorst, autoAttack })),
});

test('the gap is suite worst case minus AutoAttack, in points, per row', () => {
  // 31 − 30 = 1.0; 44 − 43 = 1.0; 25 − 12.5 = 12.5; a suite stronger than AutoAttack gives a negative gap.
  assert.deepEqual(
    calibrationGaps(
      record([
        [31, 30],
        [44, 43],
        [25, 12.5],
        [40, 41],
      ]),
    ),
    [1, 1, 12.5, -1],
  );
});

test('a suite passes when every row is within 2 points of AutoAttack, and fails on one row beyond', () => {
  assert.equal(CALIBRATION_TOLERANCE_POINTS, 2);
  assert.ok(
    passesCalibration(
      record([
        [32, 30],
        [44, 43],
      ]),
    ),
  );
  assert.ok(
    !passesCalibration(
      record([
        [32.5, 30],
        [44, 43],
      ]),
    ),
  );
  assert.ok(!passesCalibration(record([])), 'no measured row is no calibration');
});

const LINES: Array<[string, Parameters<typeof calibrationLine>, RegExp]> = [
  [
    'a suite containing AutoAttack',
    ['standard', undefined],
    /^suite standard: contains AutoAttack standard, so its worst case is at most AutoAttack's by construction$/,
  ],
  [
    'an unmeasured suite',
    ['light', undefined],
    /^suite light: not calibrated against AutoAttack \(measure with `sat-bench eval/,
  ],
  [
    'a suite awaiting its measurement',
    ['light', undefined, 'not measured yet'],
    /^suite light: not calibrated against AutoAttack \(not measured yet\)$/,
  ],
  ['a record of another suite', ['smoke', record([[31, 30]])], /^suite smoke: not calibrated/],
  [
    'a passing record',
    [
      'light',
      record([
        [31, 30],
        [43, 43],
      ]),
    ],
    /^suite light: worst case within 0\.0–1\.0 points of AutoAttack on 2 rows, 100 examples \(measured 2026-12-07\)$/,
  ],
  [
    'a failing record',
    [
      'light',
      record([
        [25, 12.5],
        [31, 30],
      ]),
    ],
    /^suite light: FAILS calibration: worst case 1\.0–12\.5 points above AutoAttack .* over the 2-point rule$/,
  ],
];
for (const [what, args, expected] of LINES) {
  test(`list's calibration line for ${what}`, () => assert.match(calibrationLine(...args), expected));
}

test('every preset evaluates with a suite containing AutoAttack or one calibrated on its own models', () => {
  const records = PRESET_CALIBRATIONS as Readonly<Record<string, SuiteCalibration>>;
  for (const [name, preset] of Object.entries(PRESETS)) {
    if (runsAutoAttack(preset.eval.suite)) continue;
    const calibration = records[name];
    if (!calibration && name in UNCALIBRATED_PRESETS) continue; // list prints it as not calibrated, with the reason
    assert.ok(calibration, `${name} (suite ${preset.eval.suite}) has a calibration record`);
    assert.equal(calibration.suite, preset.eval.suite, `${name}'s record measured the suite it evaluates with`);
    assert.ok(calibration.rows.length >= 2, `${name}: at least two rows measured`);
    assert.ok(
      passesCalibration(calibration),
      `${name}: suite ${preset.eval.suite} overstates robustness by ${calibrationGaps(calibration).join(', ')} points`,
    );
  }
  for (const name of [...Object.keys(records), ...Object.keys(UNCALIBRATED_PRESETS)])
    assert.ok(name in PRESETS, `${name} is a preset`);
});
