import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { z } from 'zod';
import { dotPath, schemaProblems } from '../../../src/experiment/config/format-issues';

test('dot-paths write array indices in brackets, as configs are written', () => {
  assert.equal(dotPath(['runs', 0, 'backward', 'attack']), 'runs[0].backward.attack');
  assert.equal(dotPath(['seeds', 2]), 'seeds[2]');
  assert.equal(dotPath([]), '');
});

// The library's own English never reaches the user: every kind of issue the config schemas raise gets house text.
const SCHEMA = z.strictObject({
  n: z.number(),
  flag: z.boolean(),
  list: z.array(z.string()).min(1),
  kind: z.enum(['a', 'b']),
});
const CASES: Array<[string, unknown, string[]]> = [
  ['a missing key', { flag: true, list: ['x'], kind: 'a' }, ['n: missing (expected a number)']],
  [
    'a wrong type',
    { n: '1', flag: 1, list: ['x'], kind: 'a' },
    ['n: expected a number, got "1"', 'flag: expected true or false, got 1'],
  ],
  ['an empty list', { n: 1, flag: true, list: [], kind: 'a' }, ['list: expected at least 1 entry, got []']],
  [
    'a value outside an enum',
    { n: 1, flag: true, list: ['x'], kind: 'c' },
    ['kind: expected one of "a", "b", got "c"'],
  ],
  ['a root that is no object', 3, ['expected an object, got 3']],
];
for (const [what, value, expected] of CASES) {
  test(`${what} is worded in house style`, () => assert.deepEqual(schemaProblems(SCHEMA, value), expected));
}
