import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { compareCsv } from '../../src/report/compare';
import { paperGaps } from '../../src/report/paper-gap';
import { parseTolerances } from '../../src/cli/commands/compare';
import { UserError } from '../../src/util/errors';

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

const MALFORMED: Array<{ name: string; text: string; message: RegExp }> = [
  // The quote opened on line 2 is never closed: the parser runs to the end of the file (line 3).
  { name: 'an unterminated quote', text: 'run,accuracy\nrelu,"90.00\nsilu,80.00\n', message: /^a\.csv:3: not a valid CSV \(Quote Not Closed/ },
  { name: 'a row with an extra cell', text: 'run,accuracy\nrelu,90.00,1\n', message: /^a\.csv:2: not a valid CSV \(Invalid Record Length/ },
  { name: 'no run column', text: 'accuracy\n90.00\n', message: /^a\.csv: no "run" column/ },
];
for (const { name, text, message } of MALFORMED) {
  test(`a CSV with ${name} is a user error naming the file and line`, () => {
    assert.throws(() => compareCsv(text, REFERENCE, { tolerance: 0, ignore: [], names: { expected: 'a.csv', actual: 'b.csv' } }), (error: Error) => {
      assert.ok(error instanceof UserError, `${error.name}: ${error.message}`);
      assert.match(error.message, message);
      return true;
    });
  });
}
