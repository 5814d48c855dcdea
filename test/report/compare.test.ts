import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { compareCsv } from '../../src/report/compare';
import { compareWithPaper, formatPaperComparison, paperComparisonIsClean, paperGaps } from '../../src/report/paper-gap';
import { parseTolerances } from '../../src/cli/commands/compare';
import { UserError } from '../../src/util/errors';

const REFERENCE = 'run,accuracy,robustness,paper_accuracy,paper_robustness\nrelu,90.00,40.00,68.80,33.00\n';
const ACTUAL = 'run,accuracy,robustness,paper_accuracy,paper_robustness\nrelu,91.50,42.50,68.80,33.00\n';

test('per-column tolerances override the default', () => {
  // accuracy is 1.5 off (allowed 2), robustness 2.5 off (allowed 3, but the default 1 would fail it).
  assert.deepEqual(
    compareCsv(REFERENCE, ACTUAL, { tolerance: parseTolerances(['1', 'accuracy=2,robustness=3']), ignore: [] })
      .differences,
    [],
  );
  const strict = compareCsv(REFERENCE, ACTUAL, { tolerance: parseTolerances(['1', 'accuracy=2']), ignore: [] });
  assert.deepEqual(
    strict.differences.map((d) => d.column),
    ['robustness'],
  );
});

const BAD_TOLERANCES: Array<[string, RegExp]> = [
  ['-1', /got "-1"/],
  ['accuracy=', /got "accuracy="/],
  ['x=abc', /got "x=abc"/],
];
for (const [text, message] of BAD_TOLERANCES) {
  test(`--tolerance ${text} is refused with the offending item`, () =>
    assert.throws(() => parseTolerances([text]), message));
}

test('the paper gap is ours minus the paper, flagged outside the tolerance', () => {
  // 91.50 − 68.80 = 22.70; 42.50 − 33.00 = 9.50.
  const gaps = paperGaps(ACTUAL, parseTolerances(['10']));
  assert.deepEqual(
    gaps.map((g) => [g.column, Number(g.gap.toFixed(2)), g.outside]),
    [
      ['accuracy', 22.7, true],
      ['robustness', 9.5, false],
    ],
  );
});

const MALFORMED: Array<{ name: string; text: string; message: RegExp }> = [
  // The quote opened on line 2 is never closed: the parser runs to the end of the file (line 3).
  {
    name: 'an unterminated quote',
    text: 'run,accuracy\nrelu,"90.00\nsilu,80.00\n',
    message: /^a\.csv:3: not a valid CSV \(Quote Not Closed/,
  },
  {
    name: 'a row with an extra cell',
    text: 'run,accuracy\nrelu,90.00,1\n',
    message: /^a\.csv:2: not a valid CSV \(Invalid Record Length/,
  },
  { name: 'no run column', text: 'accuracy\n90.00\n', message: /^a\.csv: no "run" column/ },
];
for (const { name, text, message } of MALFORMED) {
  test(`a CSV with ${name} is a user error naming the file and line`, () => {
    assert.throws(
      () => compareCsv(text, REFERENCE, { tolerance: 0, ignore: [], names: { expected: 'a.csv', actual: 'b.csv' } }),
      (error: Error) => {
        assert.ok(error instanceof UserError, `${error.name}: ${error.message}`);
        assert.match(error.message, message);
        return true;
      },
    );
  });
}

// The smoke reference's Table 1 (results/reference/smoke/table1.csv), trimmed to the compared columns.
const SMOKE = [
  'run,accuracy,robustness,accuracy_delta,robustness_delta,paper_accuracy,paper_robustness',
  'relu-relu,93.36,71.88,0.00,0.00,68.80,33.00',
  'psoftplus-relu,92.58,73.44,-0.78,1.56,68.30,34.50',
  'relu-psoftplus,93.75,70.31,0.39,-1.56,69.40,35.80',
  'psoftplus-psoftplus,92.58,71.88,-0.78,0.00,68.90,36.90',
].join('\n');

test("--paper compares each run's Δ against the baseline with the paper's Δ, not the levels", () => {
  // psoftplus-relu: ours +1.56, the paper 34.50 − 33.00 = +1.50, off by 0.06; relu-psoftplus: −1.56 against +2.80,
  // off by 4.36; psoftplus-psoftplus: 0.00 against +3.90. Accuracy: −0.78 against 68.30 − 68.80 = −0.50.
  const c = compareWithPaper(SMOKE, { baseline: 'relu-relu', tolerance: parseTolerances(['2']) });
  const robustness = c.deltas
    .filter((d) => d.column === 'robustness_delta')
    .map((d) => [d.run, Number(d.paper.toFixed(2)), Number(d.difference.toFixed(2)), d.outside]);
  assert.deepEqual(robustness, [
    ['psoftplus-relu', 1.5, 0.06, false],
    ['relu-psoftplus', 2.8, -4.36, true],
    ['psoftplus-psoftplus', 3.9, -3.9, true],
  ]);
  assert.equal(
    Number(c.deltas.find((d) => d.run === 'psoftplus-relu' && d.column === 'accuracy_delta')!.paper.toFixed(2)),
    -0.5,
  );
  assert.equal(paperComparisonIsClean(c), false);
  assert.ok(
    compareWithPaper(SMOKE, { baseline: 'relu-relu', tolerance: parseTolerances(['5']) }).deltas.every(
      (d) => !d.outside,
    ),
  );
});

test("--paper compares the order of the runs by robustness with the paper's, pairs out of order by more than the tolerance", () => {
  // The paper: psoftplus-psoftplus 36.9 > relu-psoftplus 35.8 > psoftplus-relu 34.5 > relu-relu 33.0. Ours with
  // tolerance 2: only relu-psoftplus (70.31) against psoftplus-relu (73.44), 3.13 below where the paper has it 1.30 above.
  const [order] = compareWithPaper(SMOKE, { baseline: 'relu-relu', tolerance: parseTolerances(['2']) }).orders;
  assert.deepEqual(order.paper, ['psoftplus-psoftplus', 'relu-psoftplus', 'psoftplus-relu', 'relu-relu']);
  assert.deepEqual(
    order.disagreements.map((d) => [
      d.paperHigher,
      d.paperLower,
      Number(d.paperGap.toFixed(2)),
      Number(d.oursBelow.toFixed(2)),
    ]),
    [['relu-psoftplus', 'psoftplus-relu', 1.3, 3.13]],
  );
  const text = formatPaperComparison(
    compareWithPaper(SMOKE, { baseline: 'relu-relu', tolerance: parseTolerances(['2']) }),
    '2 points',
  );
  assert.match(text, /out of order: the paper puts relu-psoftplus 1\.30 above psoftplus-relu; ours is 3\.13 below it/);
  assert.match(text, /^relu-psoftplus +-1\.56 +\+2\.80 +-4\.36 \*/m);
  assert.match(text, /differs from the paper: 2 Δ outside the tolerance, 1 pair\(s\) out of order/);
});

test('a swept run is compared with the baseline at its own sweep point', () => {
  const swept =
    'run,accuracy,robustness,accuracy_delta,robustness_delta,paper_accuracy,paper_robustness\n' +
    'relu-relu@epsilon=0.1,90.00,40.00,0.00,0.00,68.80,33.00\npsoftplus-relu@epsilon=0.1,90.00,41.50,0.00,1.50,68.30,34.50\n' +
    'relu-relu@epsilon=0.2,80.00,20.00,0.00,0.00,68.80,33.00\npsoftplus-relu@epsilon=0.2,80.00,10.00,0.00,-10.00,68.30,34.50\n';
  const c = compareWithPaper(swept, { baseline: 'relu-relu', tolerance: 2 });
  assert.deepEqual(
    c.deltas.filter((d) => d.outside).map((d) => d.run),
    ['psoftplus-relu@epsilon=0.2'],
  );
  assert.deepEqual(
    c.orders.map((o) => [o.point, o.disagreements.length]),
    [
      ['epsilon=0.1', 0],
      ['epsilon=0.2', 1],
    ],
  );
});

test('--paper writes a zero Δ or difference as 0.00, never +0.00 or -0.00', () => {
  // Ours: Δ robustness +1.50 and Δ accuracy −0.50, each the paper's (34.50 − 33.00, 68.30 − 68.80) to the cent; a
  // third run 0.001 below the baseline, which rounds to zero.
  const csv = [
    'run,accuracy,robustness,accuracy_delta,robustness_delta,paper_accuracy,paper_robustness',
    'relu-relu,75.00,40.00,0.00,0.00,68.80,33.00',
    'psoftplus-relu,74.50,41.50,-0.50,1.50,68.30,34.50',
    'relu-psoftplus,75.00,40.00,-0.001,0.00,68.80,33.00',
  ].join('\n');
  const text = formatPaperComparison(compareWithPaper(csv, { baseline: 'relu-relu', tolerance: 1 }), '1');
  assert.match(text, /psoftplus-relu +\+1\.50 +\+1\.50 +0\.00 +-0\.50 +-0\.50 +0\.00/);
  assert.match(text, /relu-psoftplus +0\.00 +0\.00 +0\.00 +0\.00 +0\.00 +0\.00/);
  assert.doesNotMatch(text, /[+-]0\.00/);
});
