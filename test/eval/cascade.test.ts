import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { brokenByEach, standingAfter } from '../../src/eval/cascade';

const flags = (text: string) => Uint8Array.from(text, (c) => Number(c));

test('each attack is credited only with the examples every earlier attack left standing', () => {
  const clean = flags('11110');
  const attacks = [{ fooled: flags('10001') }, { fooled: flags('11000') }, { fooled: flags('01100') }];
  // Example 4 is clean-wrong: nobody breaks it. Example 1: the second attack; example 2: the third.
  assert.deepEqual(
    brokenByEach(clean, attacks).map((b) => Array.from(b).join('')),
    ['10000', '01000', '00100'],
  );
  assert.deepEqual(Array.from(standingAfter(clean, attacks)).join(''), '00010');
});
