import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { signedNumber } from '../../src/report/signed-number';

test('a delta carries its sign, and zero or what rounds to it carries none', () => {
  const cases: Array<[number, number, { plus?: string; minus?: string }, string]> = [
    [1.2, 2, {}, '+1.20'],
    [-0.4, 2, {}, '-0.40'],
    [0, 2, {}, '0.00'],
    [-0, 2, {}, '0.00'],
    [-0.004, 2, {}, '0.00'], // toFixed alone gives "-0.00"
    [0.004, 2, {}, '0.00'],
    [0.005000001, 2, {}, '+0.01'],
    [-1.25, 1, { minus: '−' }, '−1.3'], // toFixed rounds half away from zero on this binary value
    [3, 2, { plus: '' }, '3.00'], // the CSV's form: no '+'
    [-1e-15, 2, { plus: '' }, '0.00'],
  ];
  for (const [value, digits, options, expected] of cases)
    assert.equal(signedNumber(value, digits, options), expected, `${value} to ${digits}`);
});
