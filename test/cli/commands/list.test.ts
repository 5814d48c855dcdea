import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { listText } from '../../../src/cli/commands/list';

test("list shows each preset's default seeds: the multi-seed preset's list, seed 0 for the others", () => {
  const text = listText();
  assert.match(text, /mnist-single-step: [^\n]*\n[^\n]*seeds 0,1,2\n/);
  assert.match(text, /quick: [^\n]*\n[^\n]*seeds 0\n/);
});
