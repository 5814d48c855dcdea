import type { SuiteCalibration } from '../src/eval/calibration';
import type { PRESETS } from './presets';

/**
 * Each preset's attack suite measured against AutoAttack's standard version on the preset's own trained models
 * (src/eval/calibration.ts has the rule). Data beside the presets, not in them: a record never enters a unit's
 * config hash. Numbers are percent of the attacked examples, as the CSV's robustness columns.
 */

const MACHINE =
  'AMD EPYC family 25 model 17, 2 vCPUs, wasm + onnxruntime (shared with other jobs: no effect on the numbers)';

export const PRESET_CALIBRATIONS = {
  smoke: {
    suite: 'smoke',
    examples: 64,
    experiment: 'table1, seed 0',
    commands: [
      'sat-bench run table1 --preset smoke --runs relu-relu,psoftplus-relu --seeds 0 --out runs',
      'sat-bench eval runs/smoke/table1/<run>/seed-0 --attack autoattack --examples 64',
      'sat-bench eval runs/smoke/table1/<run>/seed-0 --attack smoke --examples 64',
    ],
    measured: '2026-12-07',
    machine: MACHINE,
    // With APGD-T at 20 steps the suite leaves standing exactly the glyphs AutoAttack leaves, on both rows. At 10
    // steps (until 2026-12-07) psoftplus-relu's worst case was 51.56: glyphs 30 and 62, which AutoAttack's APGD-T
    // (100 steps, 9 targets) breaks, stood. One glyph of 64 is 1.56 points.
    rows: [
      { run: 'relu-relu', seed: 0, pgd: 71.88, suiteWorst: 51.56, autoAttack: 51.56 },
      { run: 'psoftplus-relu', seed: 0, pgd: 73.44, suiteWorst: 48.44, autoAttack: 48.44 },
    ],
  },
  quick: {
    suite: 'light',
    examples: 100,
    experiment: 'table1, seed 0',
    commands: [
      'sat-bench run table1 --preset quick --seeds 0 --out runs',
      'sat-bench eval runs/quick/table1/<run>/seed-0 --attack autoattack --examples 100',
    ],
    measured: '2026-12-07',
    machine: MACHINE,
    // At the rule's edge on both rows: 2 images each that light leaves standing, one broken by APGD-T on 9 targets
    // (light's targets 3) and one by Square-5000 (light's 1000 queries); PGD-200 agreed image for image.
    rows: [
      { run: 'relu-relu', seed: 0, pgd: 57, suiteWorst: 38, autoAttack: 36 },
      { run: 'psoftplus-relu', seed: 0, pgd: 66, suiteWorst: 50, autoAttack: 48 },
    ],
  },
  // The measurement that moved mnist-single-step from the smoke suite to standard (which contains AutoAttack, so
  // `list` prints that instead of this record). Measured with the smoke suite's APGD-T at 10 steps, its length until
  // 2026-12-07, and not measured again at the 20 steps it has now.
  'mnist-single-step': {
    suite: 'smoke',
    examples: 100,
    experiment: 'table1, seed 0',
    commands: [
      'sat-bench run table1 --preset mnist-single-step --runs relu-relu,psoftplus-relu --seeds 0 --data-dir <mnist> --out runs',
      'sat-bench eval runs/mnist-single-step/table1/<run>/seed-0 --attack autoattack --examples 100 --data-dir <mnist>',
    ],
    measured: '2026-12-07',
    machine: MACHINE,
    // PGD-200 agreed image for image. Of the images the smoke suite left standing, AutoAttack's APGD-CE-100 broke
    // 14 and 17 and APGD-T-100 (9 targets) 1 and 2; the smoke suite's APGD-CE-10 had broken 1 and 0.
    rows: [
      { run: 'relu-relu', seed: 0, pgd: 48, suiteWorst: 25, autoAttack: 10 },
      { run: 'psoftplus-relu', seed: 0, pgd: 64, suiteWorst: 61, autoAttack: 42 },
    ],
  },
  // The measurement that moved mnist from light to standard, on the oneDNN path (wasm+dnnl: the models of its
  // oneDNN Table 1 in docs/presets.md). PGD-200 agreed image for image. Of the images light left standing,
  // AutoAttack's APGD-CE-100 broke 4 (relu-relu) and 1 (psoftplus-relu), APGD-T-100 on 9 targets 1 and 0, and
  // Square-5000 2 and 9: the smooth-attacker model hides from gradients more than from 5000 queries.
  mnist: {
    suite: 'light',
    examples: 200,
    experiment: 'table1, seed 0',
    commands: [
      'sat-bench run table1 --preset mnist --runs relu-relu,psoftplus-relu --seeds 0 --data-dir <mnist> --out runs',
      'sat-bench eval runs/mnist/table1/<run>/seed-0 --attack autoattack --examples 200 --data-dir <mnist>',
      'sat-bench eval runs/mnist/table1/<run>/seed-0 --attack light --examples 200 --data-dir <mnist>',
    ],
    measured: '2026-12-07',
    machine:
      'AMD EPYC family 25 model 17, 2 vCPUs, wasm + oneDNN convolutions (shared with other jobs: no effect on the numbers)',
    rows: [
      { run: 'relu-relu', seed: 0, pgd: 79, suiteWorst: 64.5, autoAttack: 61 },
      { run: 'psoftplus-relu', seed: 0, pgd: 86.5, suiteWorst: 78.5, autoAttack: 73.5 },
    ],
  },
} satisfies Partial<Record<keyof typeof PRESETS, SuiteCalibration>>;

/** Built-in presets whose suite still awaits its measurement, with why; `list` prints them as not calibrated. */
export const UNCALIBRATED_PRESETS = {} satisfies Partial<Record<keyof typeof PRESETS, string>>;
