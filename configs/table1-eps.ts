import type { ExperimentConfig } from '../src/experiment/config/types';
import type { ActivationName } from '../src/nn/activations';
import table1 from './table1';

/**
 * Table 1 across ε: does the attacker's smooth backward help more as the threat grows? Every Table 1 row is trained
 * and evaluated at each ε (12 runs); the CSV gets a `sweep_epsilon` column and deltas are against relu-relu at the
 * same ε. Written for the `mnist` preset (its 2-epoch recipe trains robustly up to about 0.2):
 *
 *   sat-bench run configs/table1-eps.ts --preset mnist --workers 2
 *
 * Measured 2026-12-01 on 2 cores: the 8 units at ε 0.1 and 0.3 took 1 h 55 min of wall time with --workers 2 (the
 * ε = 0.1 ones 44–47 min each, 31–36 of them evaluating: the light suite attacks every example still standing); the
 * ε = 0.2 units were copied from a `run table1 --preset mnist` in the same --out (same config hash).
 */
export default {
  ...table1,
  id: 'table1-eps',
  title: 'Table 1 across ε: ReLU forward, smooth backward for the attacker and/or the optimizer',
  sweep: { epsilon: [0.1, 0.2, 0.3] },
} satisfies ExperimentConfig<ActivationName>;
