import type { CommandModule } from 'yargs';
import { formatSpec } from '../../nn/activation-spec';
import { ACTIVATIONS, type Activation } from '../../nn/activations';
import { MODELS } from '../../nn/models';
import { EXPERIMENTS, PRESETS } from '../../experiment/registry';
import type { Preset } from '../../experiment/types';

function describePreset(name: string, p: Preset): string {
  return [
    `  ${name}: ${p.description}`,
    `      ${p.dataset.name}, ${p.model.name} (width ${p.model.width}), ε ${p.epsilon.toFixed(4)} (${(p.epsilon * 255).toFixed(1)}/255), ` +
      `train PGD-${p.train.attack.steps} × ${p.train.epochs} epochs, eval PGD-${p.eval.steps} on ${p.eval.examples} examples`,
    `      expected wall time: ${p.expectedWallTime}`,
  ].join('\n');
}

/** Everything a user can name: experiments and their runs, presets, activations, models. */
export function listText(): string {
  const lines = ['experiments:'];
  for (const [id, e] of Object.entries(EXPERIMENTS)) {
    lines.push(`  ${id}: ${e.title}`);
    for (const run of e.runs) {
      const [forward, attack, train] = [run.forward, run.backward.attack, run.backward.train].map(formatSpec);
      const backward = attack === forward && train === forward ? forward : `forward ${forward}, attacker ${attack}, optimizer ${train}`;
      lines.push(`      ${run.id.padEnd(20)} ${backward.padEnd(50)}${run.paper ? ` paper ${run.paper.accuracy} / ${run.paper.robustness}` : ''}`);
    }
  }
  lines.push('presets:');
  for (const [name, preset] of Object.entries(PRESETS)) lines.push(describePreset(name, preset));
  lines.push('activations:');
  for (const [name, a] of Object.entries(ACTIVATIONS) as Array<[string, Activation]>) lines.push(`  ${name.padEnd(11)} ${a.description}`);
  lines.push('models:');
  for (const [name, m] of Object.entries(MODELS)) lines.push(`  ${name.padEnd(15)} ${m.description}`);
  return lines.join('\n');
}

export const listCommand: CommandModule = {
  command: 'list',
  describe: 'list experiments and their runs, presets, activations and models',
  handler: () => {
    console.log(listText());
  },
};
