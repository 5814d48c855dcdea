import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { EvalSummary } from '../../../src/eval/summary';
import type { RunMetrics } from '../../../src/report/records';
import { withReevaluatedAutoAttack } from '../../../src/experiment/store/reevaluated-autoattack';

/** The fields the join reads; the rest of a summary plays no part in it. */
function summary(fields: Partial<EvalSummary>): EvalSummary {
  const base = { suite: 'light', epsilon: 0.2, testExamples: 1000, attackedExamples: 100 };
  return {
    ...base,
    perExample: { cleanCorrect: 'AA==', robustCorrect: 'AA==', worstCorrect: 'AA==' },
    ...fields,
  } as EvalSummary;
}

const metrics = (evaluation: EvalSummary) => ({ run: 'relu-relu', seed: 0, evaluation }) as RunMetrics;

/** A seed folder holding eval-autoattack/evaluation.json as `eval --attack autoattack` writes it. */
function seedFolderWith(reevaluation: { seed: number; epsilon: number; summary: EvalSummary }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sat-bench-aa-join-'));
  fs.mkdirSync(path.join(dir, 'eval-autoattack'));
  fs.writeFileSync(path.join(dir, 'eval-autoattack', 'evaluation.json'), JSON.stringify(reevaluation));
  return dir;
}

const autoAttackRun = summary({
  suite: 'autoattack',
  robustnessAa: 0.3,
  perExample: { cleanCorrect: 'AA==', robustCorrect: 'AA==', worstCorrect: 'AA==', aaCorrect: 'Bw==' },
});

test("an AutoAttack re-evaluation of the run's own examples, seed and ε fills robustness_aa", () => {
  const dir = seedFolderWith({ seed: 0, epsilon: 0.2, summary: autoAttackRun });
  const joined = withReevaluatedAutoAttack(metrics(summary({})), dir);
  assert.equal(joined.evaluation.robustnessAa, 0.3);
  assert.equal(joined.evaluation.perExample.aaCorrect, 'Bw==');
  assert.equal(joined.evaluation.suite, 'light', "the row keeps its own suite's numbers");
});

const MISMATCHES: Array<[string, { seed: number; epsilon: number; summary: EvalSummary }]> = [
  ['on fewer examples', { seed: 0, epsilon: 0.2, summary: { ...autoAttackRun, attackedExamples: 50 } }],
  ['with another seed', { seed: 1, epsilon: 0.2, summary: autoAttackRun }],
  ['at another ε', { seed: 0, epsilon: 0.3, summary: autoAttackRun }],
];
for (const [what, reevaluation] of MISMATCHES) {
  test(`an AutoAttack re-evaluation ${what} leaves robustness_aa empty: it measured other examples`, () => {
    const own = metrics(summary({}));
    assert.equal(withReevaluatedAutoAttack(own, seedFolderWith(reevaluation)), own);
  });
}

test('a run whose own suite ran AutoAttack keeps its own robustness_aa; a folder without a re-evaluation changes nothing', () => {
  const own = metrics(summary({ suite: 'standard', robustnessAa: 0.25 }));
  assert.equal(withReevaluatedAutoAttack(own, seedFolderWith({ seed: 0, epsilon: 0.2, summary: autoAttackRun })), own);
  const light = metrics(summary({}));
  assert.equal(withReevaluatedAutoAttack(light, fs.mkdtempSync(path.join(os.tmpdir(), 'sat-bench-aa-none-'))), light);
});
