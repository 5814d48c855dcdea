import { z } from 'zod';
import { DATASETS } from '../../data/registry';
import { EVAL_SUITES } from '../../eval/suites';
import { INIT_SCHEMES } from '../../nn/init';
import { MODELS } from '../../nn/models';
import { SCHEDULE_FIELDS } from '../../train/schedule';
import { bounded, nonEmptyList, registryName, variantError, type Same } from './schema-parts';
import type { Preset } from './types';

// The one description of a preset: presets.ts, preset files, --set results and sweep points are all checked
// against it. Objects are strict (an unknown key is a misspelling); names are enums of their registries' keys;
// ranges and cross-field rules are refinements. Adding a field is one line in its object below (and one in its
// interface, which the check at the end holds equal).

/** Every dataset name but those spelt out with their options. */
const plainDatasets = Object.keys(DATASETS).filter((name) => name !== 'glyphs' && name !== 'imagenet') as [
  Exclude<keyof typeof DATASETS, 'glyphs' | 'imagenet'>,
  ...Array<Exclude<keyof typeof DATASETS, 'glyphs' | 'imagenet'>>,
];

const datasetSchema = z.discriminatedUnion(
  'name',
  [
    z.strictObject({
      name: z.literal('glyphs'),
      trainSize: bounded({ min: 1, integer: true }),
      testSize: bounded({ min: 1, integer: true }),
    }),
    z.strictObject({ name: z.literal('imagenet'), imageSize: bounded({ min: 1, integer: true }) }),
    z.strictObject({ name: z.enum(plainDatasets) }),
  ],
  { error: variantError('name', Object.keys(DATASETS), 'dataset') },
);

const modelSchema = z.strictObject({
  name: registryName(MODELS, 'model'),
  width: bounded({ min: 0, exclusiveMin: true, max: 8 }),
  init: registryName(INIT_SCHEMES, 'init scheme'),
});

/** A missing schedule field is answered with the fields its kind needs (SCHEDULE_FIELDS). */
const needs = (kind: keyof typeof SCHEDULE_FIELDS) => (issue: { input?: unknown }) =>
  issue.input === undefined ? `missing (a ${kind} schedule needs ${SCHEDULE_FIELDS[kind].join(', ')})` : undefined;
const learningRate = (kind: keyof typeof SCHEDULE_FIELDS) => bounded({ min: 0, exclusiveMin: true }, needs(kind));
const warmupEpochs = (kind: keyof typeof SCHEDULE_FIELDS) => bounded({ min: 0 }, needs(kind));

const scheduleSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('constant'), learningRate: learningRate('constant') }),
    z.strictObject({
      kind: z.literal('step'),
      learningRate: learningRate('step'),
      milestones: z.array(bounded({ min: 0 }), { error: needs('step') }),
      factor: bounded({ min: 0 }, needs('step')),
      warmupEpochs: warmupEpochs('step'),
    }),
    z.strictObject({
      kind: z.literal('cosine'),
      learningRate: learningRate('cosine'),
      warmupEpochs: warmupEpochs('cosine'),
    }),
    z.strictObject({
      kind: z.literal('oneCycle'),
      learningRate: learningRate('oneCycle'),
      peakFraction: bounded({ min: 0, max: 1 }, needs('oneCycle')),
    }),
  ],
  { error: variantError('kind', Object.keys(SCHEDULE_FIELDS), 'schedule') },
);

const trainSchema = z
  .strictObject({
    epochs: bounded({ min: 1, integer: true }),
    batchSize: bounded({ min: 1, integer: true }),
    examples: bounded({ min: 0, integer: true }),
    attack: z.strictObject({
      steps: bounded({ min: 0, integer: true }),
      stepSizeFactor: bounded({ min: 0 }),
      randomStartProbability: bounded({ min: 0, max: 1 }),
      epsilonRampEpochs: bounded({ min: 0 }),
      batchNorm: registryName({ running: 'inference mode', batch: 'batch statistics' }, 'batch-norm mode'),
    }),
    momentum: bounded({ min: 0, max: 1 }),
    nesterov: z.boolean(),
    weightDecay: bounded({ min: 0 }),
    labelSmoothing: bounded({ min: 0, max: 1 }),
    schedule: scheduleSchema,
    overfitCheckExamples: bounded({ min: 0, integer: true }),
    stopOnOverfit: z.boolean(),
  })
  .refine((train) => !(train.stopOnOverfit && train.overfitCheckExamples === 0), {
    path: ['stopOnOverfit'],
    error: 'needs the guard, but train.overfitCheckExamples is 0',
  });

const evalSchema = z.strictObject({
  examples: bounded({ min: 1, integer: true }),
  batchSize: bounded({ min: 1, integer: true }),
  steps: bounded({ min: 0, integer: true }),
  stepSizeFactor: bounded({ min: 0 }),
  randomStart: z.boolean(),
  suite: registryName(EVAL_SUITES, 'attack suite'),
});

const seedsSchema = nonEmptyList(bounded({ min: 0, integer: true }), 'a non-empty list of seeds')
  .refine((seeds) => new Set(seeds).size === seeds.length, {
    error: (issue) => `expected distinct seeds, got ${JSON.stringify(issue.input)}`,
  })
  .readonly();

export const presetSchema = z.strictObject({
  description: z.string(),
  expectedWallTime: z.string(),
  dataset: datasetSchema,
  model: modelSchema,
  epsilon: bounded({ min: 0, max: 1 }),
  train: trainSchema,
  eval: evalSchema,
  seeds: seedsSchema.optional(),
});

/** The schema describes exactly the documented Preset (types.ts and its parts): a field missing in either fails. */
export const PRESET_SCHEMA_MATCHES_TYPE: Same<z.infer<typeof presetSchema>, Preset> = true;
