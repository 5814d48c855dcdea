import { DATASETS } from '../../data/registry';
import { INIT_SCHEMES } from '../../nn/init';
import { EVAL_SUITES } from '../../eval/suites';
import { MODELS } from '../../nn/models';
import { suggestName, UserError } from '../../util/errors';
import type { Preset } from './types';

/** Collects every problem with its dot-path, so one error lists them all. */
class Problems {
  readonly list: string[] = [];

  name(path: string, value: string, known: readonly string[], what: string): void {
    if (!known.includes(value)) this.list.push(`${path}: unknown ${what} "${value}"; ${suggestName(value, known)}`);
  }

  number(
    path: string,
    value: number,
    check: { min?: number; max?: number; integer?: boolean; exclusiveMin?: boolean },
  ): void {
    const bad =
      !Number.isFinite(value) ||
      (check.integer && !Number.isInteger(value)) ||
      (check.min !== undefined && (check.exclusiveMin ? value <= check.min : value < check.min)) ||
      (check.max !== undefined && value > check.max);
    if (bad) {
      const range = `${check.integer ? 'an integer ' : 'a number '}${check.min !== undefined ? `${check.exclusiveMin ? '>' : '>='} ${check.min}` : ''}${check.max !== undefined ? ` and <= ${check.max}` : ''}`;
      this.list.push(`${path}: expected ${range.trim()}, got ${value}`);
    }
  }

  throwIfAny(where: string, fix: string): void {
    if (this.list.length > 0) {
      throw new UserError(
        'invalid-config',
        `${where}: ${this.list.length} problem(s):\n  - ${this.list.join('\n  - ')}`,
        fix,
      );
    }
  }
}

/** Checks a resolved preset (after --set overrides); throws one UserError listing every problem. */
export function validatePreset(preset: Preset, where: string): void {
  const p = new Problems();
  p.name('dataset.name', preset.dataset.name, Object.keys(DATASETS), 'dataset');
  if (preset.dataset.name === 'glyphs') {
    p.number('dataset.trainSize', preset.dataset.trainSize, { min: 1, integer: true });
    p.number('dataset.testSize', preset.dataset.testSize, { min: 1, integer: true });
  }
  p.name('model.name', preset.model.name, Object.keys(MODELS), 'model');
  p.name('model.init', preset.model.init, Object.keys(INIT_SCHEMES), 'init scheme');
  p.number('model.width', preset.model.width, { min: 0, exclusiveMin: true, max: 8 });
  p.number('epsilon', preset.epsilon, { min: 0, max: 1 });
  const t = preset.train;
  p.number('train.epochs', t.epochs, { min: 1, integer: true });
  p.number('train.batchSize', t.batchSize, { min: 1, integer: true });
  p.number('train.examples', t.examples, { min: 0, integer: true });
  p.number('train.attack.steps', t.attack.steps, { min: 0, integer: true });
  p.number('train.attack.stepSizeFactor', t.attack.stepSizeFactor, { min: 0 });
  p.number('train.attack.randomStartProbability', t.attack.randomStartProbability, { min: 0, max: 1 });
  p.number('train.attack.epsilonRampEpochs', t.attack.epsilonRampEpochs, { min: 0 });
  p.name('train.attack.batchNorm', t.attack.batchNorm, ['running', 'batch'], 'batch-norm mode');
  p.number('train.momentum', t.momentum, { min: 0, max: 1 });
  p.number('train.weightDecay', t.weightDecay, { min: 0 });
  p.number('train.labelSmoothing', t.labelSmoothing, { min: 0, max: 1 });
  p.number('train.schedule.learningRate', t.schedule.learningRate, { min: 0, exclusiveMin: true });
  p.number('train.overfitCheckExamples', t.overfitCheckExamples, { min: 0, integer: true });
  if (typeof t.stopOnOverfit !== 'boolean')
    p.list.push(`train.stopOnOverfit: expected true or false, got ${String(t.stopOnOverfit)}`);
  if (t.stopOnOverfit && t.overfitCheckExamples === 0)
    p.list.push('train.stopOnOverfit: needs the guard, but train.overfitCheckExamples is 0');
  p.number('eval.examples', preset.eval.examples, { min: 1, integer: true });
  p.number('eval.batchSize', preset.eval.batchSize, { min: 1, integer: true });
  p.number('eval.steps', preset.eval.steps, { min: 0, integer: true });
  p.number('eval.stepSizeFactor', preset.eval.stepSizeFactor, { min: 0 });
  p.name('eval.suite', preset.eval.suite, Object.keys(EVAL_SUITES), 'attack suite');
  if (preset.seeds !== undefined) {
    const seeds = preset.seeds;
    if (!Array.isArray(seeds) || seeds.length === 0)
      p.list.push(`seeds: expected a non-empty list of seeds, got ${JSON.stringify(seeds)}`);
    else {
      seeds.forEach((seed, i) => p.number(`seeds[${i}]`, seed, { min: 0, integer: true }));
      if (new Set(seeds).size !== seeds.length)
        p.list.push(`seeds: expected distinct seeds, got ${JSON.stringify(seeds)}`);
    }
  }
  p.throwIfAny(where, 'correct the listed values (in configs/presets.ts or your --set overrides)');
}
