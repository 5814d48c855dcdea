import type { ExperimentConfig } from '../src/experiment/config/types';
import type { ActivationName } from '../src/nn/activations';

/**
 * Table 1 of Xie et al. (2020): ReLU in every forward pass; the backward derivative is swapped to the parametric
 * softplus (sharpness 10, derivative sigmoid(10x)) for the attacker's gradient, the optimizer's, or both.
 * Ids name the attacker's backward, then the optimizer's.
 */
export default {
  id: 'table1',
  title: 'Table 1: ReLU forward, smooth backward for the attacker and/or the optimizer',
  layout: 'backward-pair',
  baseline: 'relu-relu',
  runs: [
    {
      id: 'relu-relu',
      label: 'ReLU / ReLU',
      forward: 'relu',
      backward: { attack: 'relu', train: 'relu' },
      paper: { accuracy: 68.8, robustness: 33.0 },
    },
    {
      id: 'psoftplus-relu',
      label: 'attacker softplus',
      forward: 'relu',
      backward: { attack: 'psoftplus', train: 'relu' },
      paper: { accuracy: 68.3, robustness: 34.5 },
    },
    {
      id: 'relu-psoftplus',
      label: 'optimizer softplus',
      forward: 'relu',
      backward: { attack: 'relu', train: 'psoftplus' },
      paper: { accuracy: 69.4, robustness: 35.8 },
    },
    {
      id: 'psoftplus-psoftplus',
      label: 'both softplus',
      forward: 'relu',
      backward: { attack: 'psoftplus', train: 'psoftplus' },
      paper: { accuracy: 68.9, robustness: 36.9 },
    },
  ],
} satisfies ExperimentConfig<ActivationName>;
