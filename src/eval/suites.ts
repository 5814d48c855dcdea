import type { AttackLoss } from '../attack/oracle';
import type { AttackName, AttackSettings } from '../attack/registry';
import { toBound, type ActivationRef } from '../nn/activation-spec';

/** 'smoothed': backward through psoftplus at evaluation (BPDA-style), only for ReLU-forward models. */
export type GradientSource = 'true' | 'smoothed';

export interface SuiteAttack {
  attack: AttackName;
  loss: AttackLoss;
  gradient: GradientSource;
  /** 'paper': the preset's eval.steps and eval.stepSizeFactor × ε; a number k: k iterations (Square: queries), PGD's step 2.5ε/k. */
  steps: number | 'paper';
  restarts: number;
  /** Targeted attacks: runner-up classes targeted in turn. */
  targets?: number;
  /** One of AutoAttack's four at its standard budget: together they give `robustness_aa`. */
  autoAttack?: true;
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
  /** What the suite gives up against AutoAttack's standard version (printed by `sat-bench list`). */
  tradeoff: string;
  /**
   * Run after the paper's PGD (eval.steps, cross-entropy), which every suite starts with, in this order: a cascade,
   * each attack on the examples still standing. AutoAttack's attacks, where present, come first.
   */
  attacks: readonly SuiteAttack[];
  sanity: SanitySpec;
}

/** AutoAttack's standard version (Croce & Hein 2020) with its defaults: one restart each, 9 targets, 5000 queries. */
const AUTOATTACK_STANDARD: readonly SuiteAttack[] = [
  { attack: 'apgd', loss: 'crossEntropy', gradient: 'true', steps: 100, restarts: 1, autoAttack: true },
  { attack: 'apgd-t', loss: 'crossEntropy', gradient: 'true', steps: 100, restarts: 1, targets: 9, autoAttack: true },
  { attack: 'fab-t', loss: 'crossEntropy', gradient: 'true', steps: 100, restarts: 1, targets: 9, autoAttack: true },
  { attack: 'square', loss: 'margin', gradient: 'true', steps: 5000, restarts: 1, autoAttack: true },
];

/** PGD-k through a psoftplus backward (ReLU forwards only): the gradient-masking check. */
const SMOOTHED_PGD: SuiteAttack = {
  attack: 'pgd',
  loss: 'crossEntropy',
  gradient: 'smoothed',
  steps: 'paper',
  restarts: 1,
};
const marginPgd = (steps: number): SuiteAttack => ({
  attack: 'pgd',
  loss: 'margin',
  gradient: 'true',
  steps,
  restarts: 1,
});

/** The CPU suites: shortened APGD-CE, APGD-T on the top `targets` runner-ups, and Square, with CW and smoothed PGD. */
function shortened(
  scale: string,
  budget: { margin: number; apgdCe: number; apgdT: number; targets: number; queries: number },
  sanity: SanitySpec,
): SuiteSpec {
  const { margin, apgdCe, apgdT, targets, queries } = budget;
  const apgdSteps =
    apgdCe === apgdT
      ? `APGD-CE and APGD-T at ${apgdCe} steps (not 100)`
      : `APGD-CE at ${apgdCe} steps and APGD-T at ${apgdT} (not 100)`;
  return {
    description: `${scale}: PGD-k CE, smoothed-gradient PGD-k (ReLU forward), PGD-${margin} CW, APGD-CE-${apgdCe}, APGD-T-${apgdT} × ${targets} targets, Square-${queries}`,
    tradeoff:
      `no FAB-T; ${apgdSteps}, APGD-T on ${targets} targets (not 9), Square at ${queries} queries (not 5000): ` +
      'an upper bound on AutoAttack robustness; run `sat-bench eval <run> --attack autoattack` for the full version',
    attacks: [
      SMOOTHED_PGD,
      marginPgd(margin),
      { attack: 'apgd', loss: 'crossEntropy', gradient: 'true', steps: apgdCe, restarts: 1 },
      { attack: 'apgd-t', loss: 'crossEntropy', gradient: 'true', steps: apgdT, restarts: 1, targets },
      { attack: 'square', loss: 'margin', gradient: 'true', steps: queries, restarts: 1 },
    ],
    sanity,
  };
}

const PAPER_SANITY: SanitySpec = {
  examples: 128,
  largeEpsilon: 0.5,
  largeEpsilonSteps: 20,
  monotoneSteps: [10, 20, 200],
};

export const EVAL_SUITES = {
  autoattack: {
    description:
      "AutoAttack's standard version: APGD-CE, APGD-T (9 targets), FAB-T (9 targets), Square-5000, after PGD-k CE",
    tradeoff: 'nothing against AutoAttack standard; no CW-margin PGD and no smoothed-gradient PGD',
    attacks: AUTOATTACK_STANDARD,
    sanity: PAPER_SANITY,
  },
  standard: {
    description:
      'paper scale: PGD-k CE, AutoAttack standard (APGD-CE, APGD-T, FAB-T, Square-5000), smoothed-gradient PGD-k (ReLU forward), PGD-100 CW',
    tradeoff: 'nothing: AutoAttack standard plus the CW margin and the smoothed-gradient check',
    attacks: [...AUTOATTACK_STANDARD, SMOOTHED_PGD, marginPgd(100)],
    sanity: PAPER_SANITY,
  },
  light: shortened(
    'CPU scale',
    { margin: 50, apgdCe: 50, apgdT: 50, targets: 3, queries: 1000 },
    { examples: 64, largeEpsilon: 0.5, largeEpsilonSteps: 20, monotoneSteps: [10, 20, 200] },
  ),
  // APGD-T at 20 steps, not 10: measured on Table 1 seed 0 (configs/calibration.ts), 10 steps left 2 glyphs standing
  // that AutoAttack breaks (3.1 points, over the rule), 15 left 1 (1.6) and 20 none; 9 targets at 10 steps left 1 at
  // 99 oracle calls per example against 20 steps' 63. APGD-CE stays at 10: at 15 and 20 it changed no final outcome.
  smoke: shortened(
    'plumbing only',
    { margin: 5, apgdCe: 10, apgdT: 20, targets: 3, queries: 100 },
    { examples: 32, largeEpsilon: 0.5, largeEpsilonSteps: 10, monotoneSteps: [2, 5, 10] },
  ),
} satisfies Record<string, SuiteSpec>;

export type SuiteName = keyof typeof EVAL_SUITES;
export const SUITE_NAMES = Object.keys(EVAL_SUITES) as SuiteName[];

/** True when the suite runs all four of AutoAttack's standard attacks, so it reports `robustness_aa`. */
export const runsAutoAttack = (suite: SuiteName) =>
  (EVAL_SUITES[suite].attacks as readonly SuiteAttack[]).filter((a) => a.autoAttack).length === 4;

/** One attack with every setting resolved, ready to run. */
export interface AttackRecipe {
  name: string;
  attack: AttackName;
  loss: AttackLoss;
  gradient: GradientSource;
  settings: AttackSettings;
  /** Label its random starts are derived from (deriveSeed(seed, seedLabel)). */
  seedLabel: string;
  autoAttack: boolean;
}

/** A column-friendly name: pgd-200, pgd-cw-100, apgd-ce-100, apgd-t9-100, fab-t9-100, square-5000, pgd-smoothed-200. */
export function recipeName(
  attack: AttackName,
  loss: AttackLoss,
  gradient: GradientSource,
  steps: number,
  restarts: number,
  targets = 0,
): string {
  const lossPart =
    attack === 'apgd' ? (loss === 'margin' ? '-cw' : '-ce') : attack === 'pgd' && loss === 'margin' ? '-cw' : '';
  const targetPart = attack === 'apgd-t' || attack === 'fab-t' ? String(targets) : '';
  return `${attack}${lossPart}${targetPart}${gradient === 'smoothed' ? '-smoothed' : ''}-${steps}${restarts > 1 ? `-x${restarts}` : ''}`;
}

/** PGD-k with k steps of 2.5ε/k and a random start: enough travel to cross the ball from any start. */
export function madryPgd(name: string, epsilon: number, steps: number): AttackRecipe {
  const settings = {
    epsilon,
    steps,
    stepSize: (2.5 * epsilon) / steps,
    restarts: 1,
    randomStart: true,
    loss: 'crossEntropy' as const,
    targets: 0,
  };
  return {
    name,
    attack: 'pgd',
    loss: 'crossEntropy',
    gradient: 'true',
    settings,
    seedLabel: `eval/${name}`,
    autoAttack: false,
  };
}

/**
 * The suite's attacks for one model, the paper's PGD first. The smoothed-gradient attack only applies to a ReLU
 * forward (a smooth forward's own gradient is already smooth), so other models skip it.
 */
export function resolveSuite(
  config: { suite: SuiteName; steps: number; stepSizeFactor: number; randomStart: boolean },
  epsilon: number,
  forward: ActivationRef,
): AttackRecipe[] {
  const paper: SuiteAttack = { attack: 'pgd', loss: 'crossEntropy', gradient: 'true', steps: 'paper', restarts: 1 };
  const attacks: readonly SuiteAttack[] = [paper, ...EVAL_SUITES[config.suite].attacks];
  return attacks
    .filter((a) => a.gradient === 'true' || toBound(forward).name === 'relu')
    .map((a) => {
      const steps = a.steps === 'paper' ? config.steps : a.steps;
      const targets = a.targets ?? 0;
      const name = recipeName(a.attack, a.loss, a.gradient, steps, a.restarts, targets);
      const stepSize = a.steps === 'paper' ? config.stepSizeFactor * epsilon : (2.5 * epsilon) / steps;
      const randomStart = a.steps === 'paper' ? config.randomStart : true;
      // The paper's PGD keeps the seed label it always had, so its numbers do not move when suites change; the
      // smoothed-gradient PGD shares its starts, so the masking check compares gradients and nothing else.
      const seedLabel = a.steps === 'paper' ? 'eval-pgd' : `eval/${name}`;
      const settings = { epsilon, steps, stepSize, restarts: a.restarts, randomStart, loss: a.loss, targets };
      return {
        name,
        attack: a.attack,
        loss: a.loss,
        gradient: a.gradient,
        settings,
        seedLabel,
        autoAttack: a.autoAttack === true,
      };
    });
}
