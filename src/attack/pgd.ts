import * as tf from '@tensorflow/tfjs';
import type { GradientOracle, StartSeeds } from './oracle';
import { projectLinf, uniformStartNoise } from './random-start';
import { readAndDispose } from '../util/read-tensor';
import { keepRows, WorkingRows } from './working-rows';

export interface PgdConfig {
  epsilon: number;
  stepSize: number;
  steps: number;
  randomStart: boolean;
}

export interface AttackResult {
  /** Per example: the first iterate that was misclassified, else the last iterate. */
  adversarial: tf.Tensor4D; // [N, H, W, C]
  /** Per example: 1 when some iterate (including the returned one) was misclassified, else 0. */
  fooled: tf.Tensor1D; // [N] float32
}

/** The starting point: x, or x plus per-example uniform noise, projected. */
function startPoint(x: tf.Tensor4D, config: PgdConfig, seeds: StartSeeds, restart: number): tf.Tensor4D {
  if (!config.randomStart) return tf.clone(x);
  return tf.tidy(() =>
    projectLinf(x, tf.add(x, uniformStartNoise(x.shape, config.epsilon, seeds, restart)), config.epsilon),
  );
}

function signedStep(x: tf.Tensor4D, current: tf.Tensor4D, gradient: tf.Tensor4D, config: PgdConfig): tf.Tensor4D {
  return tf.tidy(() => projectLinf(x, tf.add(current, tf.mul(tf.sign(gradient), config.stepSize)), config.epsilon));
}

/**
 * L∞ PGD (Madry et al. 2018), the training attacker: optional uniform random start, `steps` signed-gradient
 * steps, projection onto the ε-ball ∩ [0, 1] after each; returns the last iterate (caller owns it).
 */
export function pgdLastIterate(
  oracle: GradientOracle,
  x: tf.Tensor4D,
  y: tf.Tensor1D,
  config: PgdConfig,
  seeds: StartSeeds,
): tf.Tensor4D {
  let current = startPoint(x, config, seeds, 0);
  for (let step = 0; step < config.steps; step++) {
    const { gradient, loss, logits } = oracle(current, y);
    const next = signedStep(x, current, gradient, config);
    tf.dispose([gradient, loss, logits, current]);
    current = next;
  }
  return current;
}

/**
 * PGD for evaluation: the same steps, but every iterate is scored, and each example keeps its first
 * misclassified iterate, so a later step that wanders back to the right class does not undo a success.
 * Costs one extra oracle call (scoring the last iterate). The caller owns the result.
 */
export function pgd(
  oracle: GradientOracle,
  x: tf.Tensor4D,
  y: tf.Tensor1D,
  config: PgdConfig,
  seeds: StartSeeds,
  restart = 0,
): AttackResult {
  let current = startPoint(x, config, seeds, restart);
  let best = tf.clone(current);
  let fooled: tf.Tensor1D = tf.zeros([x.shape[0]]);
  for (let step = 0; step <= config.steps; step++) {
    const { gradient, loss, logits } = oracle(current, y);
    const next = tf.tidy(() => {
      const fooledNow = tf.cast(tf.notEqual(tf.argMax(logits, 1), tf.cast(y, 'int32')), 'float32');
      const newly = tf.reshape(tf.mul(fooledNow, tf.sub(1, fooled)), [-1, 1, 1, 1]);
      return {
        best: tf.add(tf.mul(newly, current), tf.mul(tf.sub(1, newly), best)) as tf.Tensor4D,
        fooled: tf.maximum(fooled, fooledNow) as tf.Tensor1D,
        // The last pass only scores the final iterate.
        current: step < config.steps ? signedStep(x, current, gradient, config) : tf.clone(current),
      };
    });
    tf.dispose([gradient, loss, logits, best, fooled, current]);
    ({ best, fooled, current } = next);
  }
  const adversarial = tf.tidy(() => {
    const mask = tf.reshape(fooled, [-1, 1, 1, 1]);
    return tf.add(tf.mul(mask, best), tf.mul(tf.sub(1, mask), current)) as tf.Tensor4D;
  });
  tf.dispose([best, current]);
  return { adversarial, fooled };
}

/** Per row, 1 where the logits' top class is not the label (read to the host). */
export async function misclassifiedNow(logits: tf.Tensor2D, y: tf.Tensor1D): Promise<Uint8Array> {
  const flags = tf.tidy(() => tf.cast(tf.notEqual(tf.argMax(logits, 1), tf.cast(y, 'int32')), 'int32'));
  return Uint8Array.from(await readAndDispose(flags));
}

/**
 * `pgd` as evaluation runs it: the same steps, scores and result, but an example leaves the batch at its first
 * misclassified iterate (its flag is sticky and its point is that iterate), so later steps cost only the examples
 * still standing. Each example's trajectory is its own (WorkingRows), so flags and points equal `pgd`'s.
 * Async: the flags reach the host each step. The caller owns the result.
 */
export async function pgdUntilFooled(
  oracle: GradientOracle,
  x: tf.Tensor4D,
  y: tf.Tensor1D,
  config: PgdConfig,
  seeds: StartSeeds,
  restart = 0,
): Promise<AttackResult> {
  const rows = new WorkingRows(x.shape[0], x.shape.slice(1));
  let [origin, labels] = [tf.clone(x), tf.clone(y)];
  let current = startPoint(x, config, seeds, restart);
  for (let step = 0; step <= config.steps; step++) {
    const out = oracle(current, labels);
    let gradient = out.gradient;
    const fooledNow = await misclassifiedNow(out.logits, labels);
    tf.dispose([out.loss, out.logits]);
    const keep = await rows.letGoFooled(fooledNow, current);
    // The last pass only scores the final iterate.
    if (step === config.steps || rows.open.length === 0) {
      gradient.dispose();
      break;
    }
    if (keep)
      [origin, labels, current, gradient] = [origin, labels, current, gradient].map((t) => keepRows(t, keep)) as [
        tf.Tensor4D,
        tf.Tensor1D,
        tf.Tensor4D,
        tf.Tensor4D,
      ];
    const next = signedStep(origin, current, gradient, config);
    tf.dispose([gradient, current]);
    current = next;
  }
  await rows.finish(current);
  tf.dispose([origin, labels, current]);
  return rows.result();
}

/**
 * PGD with `restarts` independent random starts (restart r draws its start from (seed, example, r)), keeping the
 * per-example worst case: an example counts as fooled when any restart fooled it. Restart 0 is exactly `pgd`,
 * so adding restarts never removes a success.
 */
export async function pgdWithRestarts(
  oracle: GradientOracle,
  x: tf.Tensor4D,
  y: tf.Tensor1D,
  config: PgdConfig & { restarts: number },
  seeds: StartSeeds,
): Promise<AttackResult> {
  let result = await pgdUntilFooled(oracle, x, y, config, seeds, 0);
  // Without a random start every restart would repeat the first one.
  const restarts = config.randomStart ? config.restarts : 1;
  for (let restart = 1; restart < restarts; restart++)
    result = keepFirstSuccess(result, await pgdUntilFooled(oracle, x, y, config, seeds, restart));
  return result;
}

/** Per example, the first result that fooled it (else `previous`'s point). Disposes both inputs. */
export function keepFirstSuccess(previous: AttackResult, next: AttackResult): AttackResult {
  const combined = tf.tidy(() => {
    const newly = tf.mul(next.fooled, tf.sub(1, previous.fooled));
    const mask = tf.reshape(newly, [-1, 1, 1, 1]);
    return {
      adversarial: tf.add(tf.mul(mask, next.adversarial), tf.mul(tf.sub(1, mask), previous.adversarial)) as tf.Tensor4D,
      fooled: tf.maximum(previous.fooled, next.fooled) as tf.Tensor1D,
    };
  });
  tf.dispose([previous.adversarial, previous.fooled, next.adversarial, next.fooled]);
  return combined;
}
