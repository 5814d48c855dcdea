import type { DatasetConfig, Preset } from '../config/types';

/** The `--set` keys that can make training shorter than the preset's: fewer epochs or fewer training examples. */
const SHORTENING_KEYS = ['train.epochs', 'train.examples', 'train.batchSize', 'dataset', 'dataset.trainSize'];

export interface TrainingCutInputs {
  /** Training steps the unit ran. */
  steps: number;
  /** `--max-steps` (0 = no limit). */
  maxSteps: number;
  /** The preset the unit trained with (after --set), and the one it was asked for (before --set). */
  preset: Preset;
  reference: Preset;
  /** The `--set` assignments, as given. */
  overrides: readonly string[];
  /** Training examples the dataset holds (the loaded one, which --set may have made smaller). */
  trainAvailable: number;
}

/** Training examples an epoch draws from: `train.examples` (0 = all) of the dataset's training split. */
function trainCount(preset: Preset, available: number): number {
  return preset.train.examples > 0 ? Math.min(preset.train.examples, available) : available;
}

/** The training split's size a dataset config names (the generated glyphs), else what was loaded. */
function datasetTrainSize(dataset: DatasetConfig, loaded: number): number {
  return dataset.name === 'glyphs' ? dataset.trainSize : loaded;
}

/** Steps a preset plans: epochs × full batches per epoch (as the trainer counts them). */
function plannedSteps(preset: Preset, available: number): number {
  return preset.train.epochs * Math.max(1, Math.floor(trainCount(preset, available) / preset.train.batchSize));
}

/**
 * What cut a unit's training short of its preset, for the CSV's `status` and the manifest: `training cut at step 2
 * of 470 (--max-steps 2)`, or with `--set` that shortens training (fewer epochs or examples) the assignments that
 * did. Counted in training images when --set changed the batch size. Undefined when training ran in full.
 */
export function describeTrainingCut(inputs: TrainingCutInputs): string | undefined {
  const { preset, reference, steps } = inputs;
  const referenceAvailable = datasetTrainSize(reference.dataset, inputs.trainAvailable);
  const planned = plannedSteps(preset, inputs.trainAvailable);
  const referencePlanned = plannedSteps(reference, referenceAvailable);
  const images = (count: number, p: Preset) => count * p.train.batchSize;
  const causes: string[] = [];
  if (inputs.maxSteps > 0 && steps >= inputs.maxSteps && steps < planned) causes.push(`--max-steps ${inputs.maxSteps}`);
  if (images(planned, preset) < images(referencePlanned, reference)) {
    const shortening = inputs.overrides.filter((a) => SHORTENING_KEYS.includes(a.slice(0, a.indexOf('=')).trim()));
    causes.push(shortening.length > 0 ? shortening.map((a) => `--set ${a}`).join(', ') : '--set');
  }
  if (causes.length === 0) return undefined;
  const where =
    preset.train.batchSize === reference.train.batchSize
      ? `at step ${steps} of ${referencePlanned}`
      : `at ${images(steps, preset)} of ${images(referencePlanned, reference)} training images`;
  return `training cut ${where} (${causes.join(', ')})`;
}
