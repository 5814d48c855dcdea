import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { AttackBatch, AttackJournal } from '../../src/eval/attack-journal';
import { evaluateModel, type EvalContext } from '../../src/eval/evaluate';
import type { EvalResult } from '../../src/eval/result';
import { NO_PROGRESS } from '../../src/util/progress';
import { setupTestBackend } from '../helpers/backend';
import { blockDataset, blockLinear, RELU_EVAL_PLAN } from './toy-models';

before(setupTestBackend);

/** A journal in memory that counts what it served and what it was given. */
class MemoryJournal implements AttackJournal {
  served = 0;
  saves = 0;
  constructor(readonly entries = new Map<string, { examples: string; fooled: Uint8Array }>()) {}

  saved(batch: AttackBatch): Uint8Array | undefined {
    const entry = this.entries.get(`${batch.recipe} #${batch.batch}`);
    if (!entry || entry.examples !== batch.examples.join()) return undefined;
    this.served++;
    return entry.fooled.slice();
  }

  save(batch: AttackBatch, fooled: Uint8Array): void {
    this.saves++;
    this.entries.set(`${batch.recipe} #${batch.batch}`, { examples: batch.examples.join(), fooled: fooled.slice() });
  }
}

// 13 attacked examples in batches of 4: every recipe runs 4 batches (the last of 1) on the examples it attacks.
const dataset = blockDataset({ classes: 4, blockSize: 4, count: 20, own: [0.3, 0.8], other: [0.1, 0.6], seed: 6 });
const config = {
  examples: 13,
  batchSize: 4,
  steps: 5,
  stepSizeFactor: 0.5,
  randomStart: true,
  suite: 'smoke' as const,
};
const context: EvalContext = { epsilon: 0.1, seed: 0, runId: 'blocks', progress: NO_PROGRESS };
const net = blockLinear(4, 10);

/** Everything an evaluation reports per example. */
const flagsOf = (result: EvalResult) => ({
  attacks: result.attacks.map((a) => [a.name, Array.from(a.attacked), Array.from(a.fooled)]),
  worst: Array.from(result.worstCorrect),
  sanity: result.sanity.map((c) => [c.name, c.passed]),
});

for (const standalone of [false, true]) {
  test(`${standalone ? 'standalone' : 'cascade'}: given a journal holding every other batch, an evaluation runs only the others and gives the same flags`, async () => {
    const full = new MemoryJournal();
    const whole = await evaluateModel(net, RELU_EVAL_PLAN, dataset, config, { ...context, standalone, journal: full });
    assert.equal(full.served, 0);
    assert.ok(full.saves >= 8, `${full.saves} batches saved`);
    const kept = [...full.entries].filter((_, i) => i % 2 === 0);
    const half = new MemoryJournal(new Map(kept));
    const resumed = await evaluateModel(net, RELU_EVAL_PLAN, dataset, config, {
      ...context,
      standalone,
      journal: half,
    });
    assert.equal(half.served, kept.length, 'every saved batch is taken from the journal');
    assert.equal(half.saves, full.saves - kept.length, 'only the missing batches are attacked (and saved)');
    assert.deepEqual(flagsOf(resumed), flagsOf(whole));
  });
}

test('a saved outcome is taken as it is, not attacked again', async () => {
  const journal = new MemoryJournal();
  const honest = await evaluateModel(net, RELU_EVAL_PLAN, dataset, config, { ...context, journal });
  assert.ok(honest.robustness > 0, `PGD robustness ${honest.robustness}: some examples must stand for this test`);
  // Claim that the paper's PGD fooled every example of every batch: the evaluation must report exactly that.
  for (const [key, entry] of journal.entries) if (key.startsWith(`${honest.attacks[0].name} #`)) entry.fooled.fill(1);
  const claimed = await evaluateModel(net, RELU_EVAL_PLAN, dataset, config, { ...context, journal });
  assert.equal(claimed.robustness, 0);
  assert.deepEqual(Array.from(claimed.attacks[0].fooled), Array.from(honest.attacks[0].attacked));
});
