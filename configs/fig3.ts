import type { ExperimentConfig, ExperimentRun } from '../src/experiment/config/types';
import type { ActivationName } from '../src/nn/activations';

/** Smooth adversarial training: the same function in the forward and both backward passes. */
function sat(activation: ActivationName, label: string, accuracy: number, robustness: number): ExperimentRun {
  return {
    id: activation,
    label,
    forward: activation,
    backward: { attack: activation, train: activation },
    paper: { accuracy, robustness },
  };
}

/** Figure 3 of Xie et al. (2020): accuracy and PGD-200 robustness of SAT with each activation. */
export default {
  id: 'fig3',
  title: 'Figure 3: smooth adversarial training with each activation',
  layout: 'activation',
  baseline: 'relu',
  runs: [
    sat('relu', 'ReLU', 68.8, 33.0),
    sat('psoftplus', 'parametric softplus (α=10)', 68.8, 38.7),
    sat('softplus', 'softplus', 68.36, 40.0),
    sat('smoothrelu', 'SmoothReLU', 69.4, 40.3),
    sat('gelu', 'GELU', 69.95, 41.65),
    sat('elu', 'ELU (α=1)', 69.2, 41.7),
    sat('silu', 'SiLU', 69.73, 42.3),
  ],
} satisfies ExperimentConfig;
