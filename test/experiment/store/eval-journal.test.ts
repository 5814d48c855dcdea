import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EvalJournal, evalJournalPath } from '../../../src/experiment/store/eval-journal';
import { tempDir } from '../../helpers/cli';

const KEY = { weights: 'abc', suite: 'smoke', examples: 16, seed: 0, standalone: false, batchSize: 4 };
const batch = (recipe: string, index: number, examples: number[]) => ({
  recipe,
  batch: index,
  batches: 3,
  examples: Int32Array.from(examples),
});

function openIn(dir: string, key: Record<string, string | number | boolean> = KEY) {
  const lines: string[] = [];
  const journal = EvalJournal.open(evalJournalPath(dir), key, { log: (line) => lines.push(line) });
  return { journal, lines };
}

test('a reopened journal gives back each saved batch, per section, and says it resumes', () => {
  const dir = tempDir('journal');
  const first = openIn(dir).journal;
  first.section('eps-0.1').save(batch('pgd-5', 0, [0, 1, 2, 3]), Uint8Array.from([1, 0, 0, 1]));
  first.section('eps-0.2').save(batch('pgd-5', 0, [0, 1, 2, 3]), Uint8Array.from([1, 1, 1, 1]));
  const { journal, lines } = openIn(dir);
  assert.deepEqual(journal.section('eps-0.1').saved(batch('pgd-5', 0, [0, 1, 2, 3])), Uint8Array.from([1, 0, 0, 1]));
  assert.deepEqual(journal.section('eps-0.2').saved(batch('pgd-5', 0, [0, 1, 2, 3])), Uint8Array.from([1, 1, 1, 1]));
  assert.equal(journal.section('eps-0.1').saved(batch('pgd-5', 1, [4, 5, 6, 7])), undefined, 'never saved');
  assert.equal(journal.section('eps-0.1').saved(batch('pgd-5', 0, [0, 1, 2, 4])), undefined, 'other examples');
  assert.equal(journal.saved(batch('pgd-5', 0, [0, 1, 2, 3])), undefined, 'another section');
  assert.match(lines.join('\n'), /eval-journal\.json: resuming an interrupted evaluation \(2 attack batches saved/);
});

test('"N of M" counts the saved batches against those of the attacks begun so far', () => {
  const { journal } = openIn(tempDir('journal'));
  assert.equal(journal.savedBatches(), 0);
  assert.match(journal.describe(), /nothing is saved/);
  journal.save(batch('pgd-5', 0, [0, 1]), Uint8Array.from([0, 1]));
  journal.saved(batch('pgd-5', 1, [2, 3]));
  assert.match(
    journal.describe(),
    /^1 of 3 attack batches \(of the attacks begun so far\) saved in .*eval-journal\.json$/,
  );
  journal.saved(batch('apgd-ce-10', 0, [0]));
  assert.match(journal.describe(), /^1 of 6 attack batches/);
});

const STALE = [
  { change: { examples: 8 }, reason: /examples 16 \(now 8\)/ },
  { change: { seed: 1, standalone: true }, reason: /seed 0 \(now 1\), standalone false \(now true\)/ },
  { change: { weights: 'abd' }, reason: /weights "abc" \(now "abd"\)/ },
];
for (const { change, reason } of STALE) {
  test(`a journal of another evaluation (${Object.keys(change).join(', ')} changed) is removed, with a line naming what changed`, () => {
    const dir = tempDir('journal');
    openIn(dir).journal.save(batch('pgd-5', 0, [0, 1]), Uint8Array.from([1, 1]));
    const { journal, lines } = openIn(dir, { ...KEY, ...change });
    assert.equal(lines.length, 1);
    assert.match(lines[0], /left by another evaluation: /);
    assert.match(lines[0], reason);
    assert.match(lines[0], /starting this evaluation afresh/);
    assert.ok(!fs.existsSync(evalJournalPath(dir)), 'the stale journal is gone');
    assert.equal(journal.saved(batch('pgd-5', 0, [0, 1])), undefined);
  });
}

test('an unreadable journal is set aside the same way', () => {
  const dir = tempDir('journal');
  fs.writeFileSync(evalJournalPath(dir), '{"format":1,"key":');
  const { journal, lines } = openIn(dir);
  assert.match(lines.join('\n'), /eval-journal\.json: unreadable .*; starting this evaluation afresh/);
  assert.equal(journal.savedBatches(), 0);
});

test('remove() deletes the journal and the temp copies a kill left beside it, and nothing else', () => {
  const dir = tempDir('journal');
  const { journal } = openIn(dir);
  journal.save(batch('pgd-5', 0, [0, 1]), Uint8Array.from([1, 1]));
  fs.writeFileSync(path.join(dir, '.eval-journal.json.123.456.tmp'), '{}');
  fs.writeFileSync(path.join(dir, 'evaluation.json'), '{}');
  journal.remove();
  assert.deepEqual(fs.readdirSync(dir), ['evaluation.json']);
});

test('each eval shard of a seed folder has its own journal file', () => {
  assert.notEqual(evalJournalPath('d', { index: 1, count: 2 }), evalJournalPath('d', { index: 2, count: 2 }));
  assert.notEqual(evalJournalPath('d', { index: 1, count: 2 }), evalJournalPath('d'));
});
