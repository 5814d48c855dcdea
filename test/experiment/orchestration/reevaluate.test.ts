import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import { reevaluateModel } from '../../../src/experiment/orchestration/reevaluate';
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
