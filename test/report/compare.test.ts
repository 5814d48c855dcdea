import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { compareCsv } from '../../src/report/compare';
import { paperGaps } from '../../src/report/paper-gap';
import { parseTolerances } from '../../src/cli/commands/compare';

const REFERENCE = 'run,accuracy,robustness,paper_accuracy,paper_robustness\nrelu,90.00,40.00,68.80,33.00\n';
const ACTUAL = 'run,accuracy,robustness,paper_accuracy,paper_robustness\nrelu,91.50,42.50,68.80,33.00\n';

test('per-column tolerances override the default', () => {
  // accuracy is 1.5 off (allowed 2), robustness 2.5 off (allowed 3, but the default 1 would fail it).
  assert.deepEqual(compareCsv(REFERENCE, ACTUAL, { tolerance: parseTolerances(['1', 'accuracy=2,robustness=3']), ignore: [] }).differences, []);
  const strict = compareCsv(REFERENCE, ACTUAL, { tolerance: parseTolerances(['1', 'accuracy=2']), ignore: [] });
  assert.deepEqual(strict.differences.map((d) => d.column), ['robustness']);
});

const BAD_TOLERANCES: Array<[string, RegExp]> = [['-1', /got "-1"/], ['accuracy=', /got "accuracy="/], ['x=abc', /got "x=abc"/]];
for (const [text, message] of BAD_TOLERANCES) {
  test(`--tolerance ${text} is refused with the offending item`, () => assert.throws(() => parseTolerances([text]), message));
}

test('the paper gap is ours minus the paper, flagged outside the tolerance', () => {
  // 91.50 − 68.80 = 22.70; 42.50 − 33.00 = 9.50.
  const gaps = paperGaps(ACTUAL, parseTolerances(['10']));
  assert.deepEqual(gaps.map((g) => [g.column, Number(g.gap.toFixed(2)), g.outside]), [['accuracy', 22.7, true], ['robustness', 9.5, false]]);
});
