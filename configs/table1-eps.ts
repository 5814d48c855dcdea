import type { ExperimentConfig } from '../src/experiment/config/types';
import type { ActivationName } from '../src/nn/activations';
import table1 from './table1';

/**
 * Table 1 across ε: does the attacker's smooth backward help more as the threat grows? Every Table 1 row is trained
 * and evaluated at each ε (12 runs); the CSV gets a `sweep_epsilon` column and deltas are against relu-relu at the
 * same ε. Written for the `mnist` preset (its 2-epoch recipe trains robustly up to about 0.3):
 *
 *   sat-bench run configs/table1-eps.ts --preset mnist     # 12 units of ~13 min on 2 free CPU cores (Table 1 on mnist: 53 min; 39 min with --workers 2)
 */
export default {
  ...table1,
  id: 'table1-eps',
  title: 'Table 1 across ε: ReLU forward, smooth backward for the attacker and/or the optimizer',
  sweep: { epsilon: [0.1, 0.2, 0.3] },
} satisfies ExperimentConfig<ActivationName>;
