import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { EXPERIMENTS, PRESETS } from '../../src/experiment/config/registry';
import { listText } from '../../src/cli/commands/list';
import { EVAL_SUITES, resolveSuite, runsAutoAttack, SUITE_NAMES, type SuiteAttack } from '../../src/eval/suites';

const paperConfig = (suite: (typeof SUITE_NAMES)[number]) => ({
  suite,
  steps: 200,
  stepSizeFactor: 1 / 40,
  randomStart: true,
});

test("the autoattack suite is AutoAttack's standard version after the paper's PGD", () => {
  const names = resolveSuite(paperConfig('autoattack'), 0.3, 'relu').map((r) => r.name);
  assert.deepEqual(names, ['pgd-200', 'apgd-ce-100', 'apgd-t9-100', 'fab-t9-100', 'square-5000']);
});

test('no suite called standard is weaker than AutoAttack standard: it runs every AutoAttack attack at its budget', () => {
  const aa = resolveSuite(paperConfig('autoattack'), 0.3, 'relu').slice(1);
  const standard = resolveSuite(paperConfig('standard'), 0.3, 'relu');
  for (const attack of aa)
    assert.ok(
      standard.some((r) => r.name === attack.name && JSON.stringify(r.settings) === JSON.stringify(attack.settings)),
      attack.name,
    );
  assert.ok(
    runsAutoAttack('standard') && runsAutoAttack('autoattack') && !runsAutoAttack('light') && !runsAutoAttack('smoke'),
  );
});

test("in every suite AutoAttack's attacks follow the paper's PGD directly, so the cascade's robustness_aa is PGD ∪ AutoAttack", () => {
  for (const name of SUITE_NAMES) {
    const attacks = EVAL_SUITES[name].attacks as readonly SuiteAttack[];
    const last = attacks.map((a) => a.autoAttack === true).lastIndexOf(true);
    assert.ok(
      attacks.slice(0, last + 1).every((a) => a.autoAttack),
      name,
    );
  }
});

test('the CPU suites include a targeted DLR attack and Square, and list says what every suite trades away', () => {
  for (const name of ['light', 'smoke'] as const) {
    const attacks = (EVAL_SUITES[name].attacks as readonly SuiteAttack[]).map((a) => a.attack);
    assert.ok(attacks.includes('apgd-t') && attacks.includes('square'), name);
  }
  const text = listText(Object.values(EXPERIMENTS), PRESETS);
  for (const name of SUITE_NAMES)
    assert.match(text, new RegExp(`  ${name}( \\([a-z0-9, -]+\\))?: .*\\n      trades away: `), name);
  assert.match(text, /light \(quick\)/);
  assert.match(text, /standard \(mnist, mnist-single-step, cifar10, imagenet\)/);
});

test('every random start is seeded per attack, never by position in the suite', () => {
  const recipes = resolveSuite(paperConfig('standard'), 0.3, 'relu');
  assert.equal(new Set(recipes.map((r) => r.seedLabel)).size, recipes.length - 1); // the smoothed PGD shares the paper's starts
  assert.equal(recipes.find((r) => r.gradient === 'smoothed')!.seedLabel, 'eval-pgd');
});
