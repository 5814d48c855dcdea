import type { CommandModule } from 'yargs';
import { DATASETS } from '../../data/registry';
import { ACTIVATIONS, type Activation } from '../../nn/activations';
import { MODELS } from '../../nn/models';
import { EXPERIMENTS, PRESETS } from '../../experiment/registry';
import type { Preset } from '../../experiment/types';
import { EVAL_SUITES, type SuiteSpec } from '../../eval/suites';

function describePreset(name: string, p: Preset): string {
  return [
    `  ${name}: ${p.description}`,
    `      ${p.dataset.name}, ${p.model.name} (width ${p.model.width}), ε ${p.epsilon.toFixed(4)} (${(p.epsilon * 255).toFixed(1)}/255), ` +
      `train PGD-${p.train.attack.steps} × ${p.train.epochs} epochs, eval PGD-${p.eval.steps} with step ${+p.eval.stepSizeFactor.toPrecision(4)}ε = ${(p.eval.stepSizeFactor * p.epsilon).toPrecision(3)} on ${p.eval.examples} examples, ` +
      `seeds ${(p.seeds ?? [0]).join(',')}`,
    `      expected wall time: ${p.expectedWallTime}`,
  ].join('\n');
}

/** Everything a user can name: experiments and their runs, presets, activations, models. */
export function listText(): string {
  const lines = ['experiments:'];
  for (const [id, e] of Object.entries(EXPERIMENTS)) {
    lines.push(`  ${id}: ${e.title}`);
    for (const run of e.runs) {
      const backward = run.backward.attack === run.forward && run.backward.train === run.forward
        ? run.forward
        : `forward ${run.forward}, attacker ${run.backward.attack}, optimizer ${run.backward.train}`;
      lines.push(`      ${run.id.padEnd(20)} ${backward.padEnd(50)} paper ${run.paper.accuracy} / ${run.paper.robustness}`);
    }
  }
  lines.push('presets:');
  for (const [name, preset] of Object.entries(PRESETS)) lines.push(describePreset(name, preset));
  lines.push('attack suites (eval.suite; `sat-bench eval <run> --attack <suite>`):');
  for (const [name, suite] of Object.entries(EVAL_SUITES) as Array<[string, SuiteSpec]>) {
    const presets = Object.entries(PRESETS).filter(([, p]) => p.eval.suite === name).map(([n]) => n);
    lines.push(`  ${name}${presets.length ? ` (${presets.join(', ')})` : ''}: ${suite.description}`);
    lines.push(`      trades away: ${suite.tradeoff}`);
  }
  lines.push('datasets:');
  for (const [name, d] of Object.entries(DATASETS)) lines.push(`  ${name.padEnd(11)} ${d.description}`);
  lines.push('activations:');
  for (const [name, a] of Object.entries(ACTIVATIONS) as Array<[string, Activation]>) lines.push(`  ${name.padEnd(11)} ${a.description}`);
  lines.push('models:');
  for (const [name, m] of Object.entries(MODELS)) lines.push(`  ${name.padEnd(15)} ${m.description}`);
  return lines.join('\n');
}

export const listCommand: CommandModule = {
  command: 'list',
  describe: 'list experiments and their runs, presets, datasets, activations and models',
  handler: () => {
    console.log(listText());
  },
};
