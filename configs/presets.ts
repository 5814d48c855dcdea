import type { Preset } from '../src/experiment/types';

/**
 * Scales of the experiment, each a diff against a base with the reason for every change (nanoGPT style).
 * Pixels are in [0, 1]: ε = 4/255 is the paper's "4" on the 0–255 scale.
 */

/** The embedded-data base: SmallCNN on 28×28 glyphs, PGD-1 training, PGD evaluation. */
const glyphsBase = {
  description: '',
  expectedWallTime: '',
  dataset: { name: 'glyphs', trainSize: 6000, testSize: 1000 },
  model: { name: 'smallcnn', width: 0.5, init: 'heNormal' },
  // Glyph strokes span ~0.6 of the intensity range; 0.1 leaves room to be robust yet bites hard at PGD-200.
  epsilon: 0.1,
  train: {
    epochs: 4,
    batchSize: 64,
    examples: 0,
    // The paper's attacker: PGD-1, step = ε, random start on 80 % of batches, BN in inference mode.
    attack: { steps: 1, stepSizeFactor: 1.25, randomStartProbability: 0.8, epsilonRampEpochs: 1, batchNorm: 'running' },
    momentum: 0.9,
    nesterov: true,
    weightDecay: 5e-4,
    labelSmoothing: 0,
    schedule: { kind: 'cosine', learningRate: 0.05, warmupEpochs: 0.25 },
  },
  eval: { examples: 500, batchSize: 250, steps: 200, stepSize: 0.1 / 40, randomStart: true },
} satisfies Preset;

export const PRESETS = {
  smoke: {
    ...glyphsBase,
    description: 'plumbing check in seconds: tiny glyphs set, narrow SmallCNN, 1 epoch, PGD-5 on 64 examples',
    expectedWallTime: 'seconds per run (measured on the 2-core CI machine)',
    dataset: { name: 'glyphs', trainSize: 1024, testSize: 256 },
    model: { ...glyphsBase.model, width: 0.25 }, // a quarter of the channels: each step is ~16x cheaper
    train: { ...glyphsBase.train, epochs: 1, attack: { ...glyphsBase.train.attack, epsilonRampEpochs: 0 } },
    eval: { ...glyphsBase.eval, examples: 64, batchSize: 64, steps: 5, stepSize: 0.1 / 4 }, // numbers are not the point
  },
  quick: {
    ...glyphsBase,
    description: 'the default: embedded glyphs, half-width SmallCNN, 4 epochs, PGD-200 on 500 test examples',
    expectedWallTime: 'a few minutes per run on 2 CPU cores with the fast kernels',
  },
} satisfies Record<string, Preset>;

export type PresetName = keyof typeof PRESETS;
