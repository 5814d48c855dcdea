import type { ExperimentConfig } from '../src/experiment/config/types';
import type { ActivationName } from '../src/nn/activations';
import table1Eps from './table1-eps';

/**
 * Where the attacker effect of `mnist-single-step` lives: Table 1 across ε ∈ {0.1, 0.2, 0.3, 0.4} (16 runs, each at
 * the preset's 3 seeds). Single-step training collapses more readily as ε grows, so this asks at which ε the
 * smooth attacker gradient starts to matter; 0.4 is past the usual MNIST budget on purpose.
 *
 *   sat-bench run configs/table1-eps-single-step.ts --preset mnist-single-step --data-dir /path/to/mnist
 */
export default {
  ...table1Eps,
  id: 'table1-eps-single-step',
  title:
    'Table 1 across ε in the single-step regime: ReLU forward, smooth backward for the attacker and/or the optimizer',
  sweep: { epsilon: [0.1, 0.2, 0.3, 0.4] },
} satisfies ExperimentConfig<ActivationName>;
