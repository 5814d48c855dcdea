import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { AttackBatch } from '../../../src/eval/attack-journal';
import { reevaluateModel } from '../../../src/experiment/orchestration/reevaluate';
import { EvalJournal, evalJournalPath } from '../../../src/experiment/store/eval-journal';
import { NO_PROGRESS } from '../../../src/util/progress';
import { setupTestBackend } from '../../helpers/backend';
import { blockDataset, blockLinear, RELU_EVAL_PLAN } from '../../eval/toy-models';

before(setupTestBackend);

test('eval at several ε writes a robustness curve that falls with ε, on the same examples and starts', async () => {
  const dataset = blockDataset({ classes: 4, blockSize: 4, count: 24, own: [0.3, 0.8], other: [0.1, 0.6], seed: 12 });
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sat-bench-curve-'));
  const evalConfig = {
    examples: 24,
    batchSize: 12,
    steps: 10,
    stepSizeFactor: 0.25,
    randomStart: true,
    suite: 'smoke' as const,
  };
  const model = { net: blockLinear(4, 10), plan: RELU_EVAL_PLAN, evalConfig };
  const options = { suite: 'smoke' as const, seed: 0, epsilon: 0.1, outDir, runId: 'blocks', progress: NO_PROGRESS };
  const { summaries, files } = await reevaluateModel(model, dataset, { ...options, epsilons: [0.02, 0.1, 0.2] });
  const rows = parse(fs.readFileSync(path.join(outDir, 'robustness-vs-epsilon.csv'), 'utf8'), {
    columns: true,
  }) as Array<Record<string, string>>;
  assert.deepEqual(
    rows.map((r) => r.epsilon_255),
    ['5.10', '25.50', '51.00'],
  );
  for (let k = 1; k < 3; k++)
    assert.ok(Number(rows[k].robustness_worst) <= Number(rows[k - 1].robustness_worst), JSON.stringify(rows));
  assert.ok(files.includes(path.join(outDir, 'eps-0.1', 'examples.csv')));
  // The point at the run's own ε is exactly the single-ε evaluation (the step scales with ε, here by 1).
  const single = await reevaluateModel(model, dataset, { ...options, outDir: path.join(outDir, 'single') });
  assert.deepEqual(summaries[1].perExample, single.summaries[0].perExample);
  fs.rmSync(outDir, { recursive: true, force: true });
});

test('a curve evaluated again with the journal of a finished one attacks nothing and gives the same numbers at every ε', async () => {
  const dataset = blockDataset({ classes: 4, blockSize: 4, count: 24, own: [0.3, 0.8], other: [0.1, 0.6], seed: 12 });
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sat-bench-curve-journal-'));
  const evalConfig = {
    examples: 24,
    batchSize: 5,
    steps: 10,
    stepSizeFactor: 0.25,
    randomStart: true,
    suite: 'smoke' as const,
  };
  const model = { net: blockLinear(4, 10), plan: RELU_EVAL_PLAN, evalConfig };
  const options = {
    suite: 'smoke' as const,
    seed: 0,
    epsilon: 0.1,
    epsilons: [0.02, 0.1, 0.2],
    outDir,
    runId: 'blocks',
    progress: NO_PROGRESS,
  };
  const file = evalJournalPath(outDir);
  let saves = 0;
  /** The store's journal, counting the batches that were attacked (and so saved). */
  const counted = (journal: EvalJournal) => ({
    section(name: string) {
      const section = journal.section(name);
      return {
        saved: section.saved,
        save: (batch: AttackBatch, fooled: Uint8Array) => (saves++, section.save(batch, fooled)),
      };
    },
  });
  const open = () => EvalJournal.open(file, { test: 'curve' }, { log: () => undefined });
  const first = await reevaluateModel(model, dataset, { ...options, journal: counted(open()) });
  assert.ok(saves >= 3 * 5, `${saves} batches attacked`);
  saves = 0;
  const again = await reevaluateModel(model, dataset, { ...options, journal: counted(open()) });
  assert.equal(saves, 0, 'every batch came from the journal');
  assert.deepEqual(
    again.summaries.map((s) => s.perExample),
    first.summaries.map((s) => s.perExample),
  );
  assert.notDeepEqual(
    first.summaries[0].perExample,
    first.summaries[2].perExample,
    'the ε differ, and so do their sections',
  );
  fs.rmSync(outDir, { recursive: true, force: true });
});
