import type { AttackLoss } from '../attack/oracle';
import type { AttackName, AttackSettings } from '../attack/registry';
import { toBound, type ActivationRef } from '../nn/activation-spec';

/** 'smoothed': backward through psoftplus at evaluation (BPDA-style), only for ReLU-forward models. */
export type GradientSource = 'true' | 'smoothed';

export interface SuiteAttack {
  attack: AttackName;
  loss: AttackLoss;
  gradient: GradientSource;
  /** 'paper': the preset's eval.steps and eval.stepSize; a number k: step 2.5ε/k (Madry et al.'s rule). */
  steps: number | 'paper';
  restarts: number;
}

/** Sizes of the automatic sanity checks (src/eval/sanity.ts), run on the first `examples` attacked examples. */
export interface SanitySpec {
  examples: number;
  /** ε at which any real classifier falls to chance: every image can reach the uniform 0.5 grey. */
  largeEpsilon: number;
  largeEpsilonSteps: number;
  /** Independent PGD runs, fewest steps first; accuracy must not rise with more steps. */
  monotoneSteps: readonly number[];
}

export interface SuiteSpec {
  description: string;
  /** Run after the paper's PGD (eval.steps, cross-entropy), which every suite starts with. */
  attacks: readonly SuiteAttack[];
  sanity: SanitySpec;
}

/** The same three attacks after the paper's PGD in every suite; only their step counts and the sanity sizes scale. */
function suite(scale: string, marginSteps: number, apgdSteps: number, sanity: SanitySpec): SuiteSpec {
  return {
    description: `${scale}: PGD-k CE, PGD-${marginSteps} CW margin, APGD-CE-${apgdSteps}, smoothed-gradient PGD-k (ReLU forward)`,
    attacks: [
      { attack: 'pgd', loss: 'margin', gradient: 'true', steps: marginSteps, restarts: 1 },
      { attack: 'apgd', loss: 'crossEntropy', gradient: 'true', steps: apgdSteps, restarts: 1 },
      { attack: 'pgd', loss: 'crossEntropy', gradient: 'smoothed', steps: 'paper', restarts: 1 },
    ],
    sanity,
  };
}

export const EVAL_SUITES = {
  standard: suite('paper scale', 100, 100, { examples: 128, largeEpsilon: 0.5, largeEpsilonSteps: 20, monotoneSteps: [10, 20, 200] }),
  light: suite('CPU scale', 50, 50, { examples: 64, largeEpsilon: 0.5, largeEpsilonSteps: 20, monotoneSteps: [10, 20, 200] }),
  smoke: suite('plumbing only', 5, 10, { examples: 32, largeEpsilon: 0.5, largeEpsilonSteps: 10, monotoneSteps: [2, 5, 10] }),
} satisfies Record<string, SuiteSpec>;

export type SuiteName = keyof typeof EVAL_SUITES;
export const SUITE_NAMES = Object.keys(EVAL_SUITES) as SuiteName[];

/** One attack with every setting resolved, ready to run. */
export interface AttackRecipe {
  name: string;
  attack: AttackName;
  loss: AttackLoss;
  gradient: GradientSource;
  settings: AttackSettings;
  /** Label its random starts are derived from (deriveSeed(seed, seedLabel)). */
  seedLabel: string;
}

/** A column-friendly name: pgd-200, pgd-cw-100, apgd-ce-100, pgd-smoothed-200, with -x<r> for restarts. */
export function recipeName(attack: AttackName, loss: AttackLoss, gradient: GradientSource, steps: number, restarts: number): string {
  const lossPart = attack === 'apgd' ? (loss === 'margin' ? '-cw' : '-ce') : loss === 'margin' ? '-cw' : '';
  return `${attack}${lossPart}${gradient === 'smoothed' ? '-smoothed' : ''}-${steps}${restarts > 1 ? `-x${restarts}` : ''}`;
}

/** PGD-k with k steps of 2.5ε/k and a random start: enough travel to cross the ball from any start. */
export function madryPgd(name: string, epsilon: number, steps: number): AttackRecipe {
  const settings = { epsilon, steps, stepSize: (2.5 * epsilon) / steps, restarts: 1, randomStart: true };
  return { name, attack: 'pgd', loss: 'crossEntropy', gradient: 'true', settings, seedLabel: `eval/${name}` };
}

/**
 * The suite's attacks for one model, the paper's PGD first. The smoothed-gradient attack only applies to a ReLU
 * forward (a smooth forward's own gradient is already smooth), so other models skip it.
 */
export function resolveSuite(
  config: { suite: SuiteName; steps: number; stepSize: number; randomStart: boolean },
  epsilon: number,
  forward: ActivationRef,
): AttackRecipe[] {
  const paper: SuiteAttack = { attack: 'pgd', loss: 'crossEntropy', gradient: 'true', steps: 'paper', restarts: 1 };
  const attacks: readonly SuiteAttack[] = [paper, ...EVAL_SUITES[config.suite].attacks];
  return attacks
    .filter((a) => a.gradient === 'true' || toBound(forward).name === 'relu')
    .map((a) => {
      const steps = a.steps === 'paper' ? config.steps : a.steps;
      const name = recipeName(a.attack, a.loss, a.gradient, steps, a.restarts);
      const stepSize = a.steps === 'paper' ? config.stepSize : (2.5 * epsilon) / steps;
      const randomStart = a.steps === 'paper' ? config.randomStart : true;
      // The paper's PGD keeps the seed label it always had, so its numbers do not move when suites change; the
      // smoothed-gradient PGD shares its starts, so the masking check compares gradients and nothing else.
      const seedLabel = a.steps === 'paper' ? 'eval-pgd' : `eval/${name}`;
      return { name, attack: a.attack, loss: a.loss, gradient: a.gradient, settings: { epsilon, steps, stepSize, restarts: a.restarts, randomStart }, seedLabel };
    });
}
