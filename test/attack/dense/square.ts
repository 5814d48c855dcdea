// Square as it was before it skipped unchanged candidates (sat-bench 227f27c): a reference for differential tests.
import * as tf from '@tensorflow/tfjs';
import { readAndDispose } from '../../../src/util/read-tensor';
import { deriveSeed, Rng } from '../../../src/util/rng';
import type { ModelOracle, StartSeeds } from '../../../src/attack/oracle';
import type { AttackResult } from '../../../src/attack/pgd';
import { squareShare, type SquareConfig } from '../../../src/attack/square';

/** Per example, logit of the label minus the best other logit: ≤ 0 once misclassified. */
function margins(
  logits: Float32Array | Int32Array | Uint8Array,
  labels: ArrayLike<number>,
  classes: number,
): Float32Array {
  const out = new Float32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    let other = -Infinity;
    for (let c = 0; c < classes; c++) if (c !== labels[i]) other = Math.max(other, logits[i * classes + c]);
    out[i] = logits[i * classes + labels[i]] - other;
  }
  return out;
}

/** Keeps `value` within ε of `origin` (L∞) and inside the pixel range [0, 1]. */
function clipToBall(value: number, origin: number, epsilon: number): number {
  return Math.min(1, Math.max(0, Math.min(origin + epsilon, Math.max(origin - epsilon, value))));
}

/** The start point: vertical stripes of ±ε, one sign per column and channel drawn from each example's stream. */
function stripeStart(
  clean: Float32Array,
  [n, height, width, channels]: readonly number[], // [N, H, W, C]
  epsilon: number,
  rngs: Rng[],
): Float32Array {
  const size = height * width * channels;
  const start = new Float32Array(clean.length);
  for (let i = 0; i < n; i++) {
    const signs = Array.from({ length: width * channels }, () => (rngs[i].next() < 0.5 ? -1 : 1));
    for (let p = 0; p < size; p++) {
      const at = i * size + p;
      start[at] = clipToBall(clean[at] + epsilon * signs[p % (width * channels)], clean[at], epsilon);
    }
  }
  return start;
}

/**
 * Redraws one square window of `candidate` (one example, [H, W, C]) to ±ε per channel around `clean`: window
 * position then signs, drawn from the example's stream.
 */
function redrawWindow(
  candidate: Float32Array,
  clean: Float32Array,
  [, height, width, channels]: readonly number[], // [N, H, W, C]
  { side, epsilon }: { side: number; epsilon: number },
  rng: Rng,
): void {
  const [sideH, sideW] = [Math.min(side, height), Math.min(side, width)];
  const top = rng.nextInt(height - sideH + (sideH === height ? 1 : 0));
  const left = rng.nextInt(width - sideW + (sideW === width ? 1 : 0));
  const signs = Array.from({ length: channels }, () => (rng.next() < 0.5 ? -1 : 1));
  for (let r = top; r < top + sideH; r++) {
    for (let c = left; c < left + sideW; c++) {
      for (let ch = 0; ch < channels; ch++) {
        const p = (r * width + c) * channels + ch;
        candidate[p] = clipToBall(clean[p] + epsilon * signs[ch], clean[p], epsilon);
      }
    }
  }
}

/** For each standing example, its best point with one square window redrawn ([standing, H, W, C]). */
function drawCandidates(
  best: Float32Array,
  clean: Float32Array,
  standing: Int32Array,
  shape: readonly number[], // [N, H, W, C]
  window: { side: number; epsilon: number },
  rngs: Rng[],
): Float32Array {
  const size = shape[1] * shape[2] * shape[3];
  const candidates = new Float32Array(standing.length * size);
  standing.forEach((i, k) => {
    const candidate = candidates.subarray(k * size, (k + 1) * size);
    candidate.set(best.subarray(i * size, (i + 1) * size));
    redrawWindow(candidate, clean.subarray(i * size, (i + 1) * size), shape, window, rngs[i]);
  });
  return candidates;
}

/** The margin loss of each image in `images` (one row per label, [rows, H, W, C]): one forward pass. */
async function marginsOf(
  oracle: ModelOracle,
  images: Float32Array,
  labels: number[],
  [, height, width, channels]: readonly number[], // [N, H, W, C]
): Promise<Float32Array> {
  const logits = tf.tidy(() => oracle.logits(tf.tensor4d(images, [labels.length, height, width, channels])));
  const classes = logits.shape[1];
  return margins(await readAndDispose(logits), labels, classes);
}

/**
 * Square Attack, L∞ (Andriushchenko et al. 2020), a random search that uses only logits, so masked or zero
 * gradients do not stop it. Start: vertical stripes of ±ε; each query redraws one square window (side from the
 * p schedule) to ±ε per channel and keeps it when the margin loss drops. Window and signs are drawn per example
 * from (seed, example) — AutoAttack draws one window per batch — so outcomes do not depend on the batch.
 * Works on the host: the images travel as typed arrays, the model sees one batch of candidates per query.
 * Costs 1 + queries forward passes per example at most (fooled examples stop). The caller owns the result.
 */
export async function square(
  oracle: ModelOracle,
  x: tf.Tensor4D,
  y: tf.Tensor1D,
  config: SquareConfig,
  seeds: StartSeeds,
): Promise<AttackResult> {
  const [n, height, width, channels] = x.shape; // [N, H, W, C]
  const size = height * width * channels;
  const clean = (await x.data()) as Float32Array;
  const labels = await y.data();
  const rngs = Array.from({ length: n }, (_, i) => new Rng(deriveSeed(seeds.seed, 'square', seeds.exampleIds[i])));
  const best = stripeStart(clean, x.shape, config.epsilon, rngs);
  const score = (images: Float32Array, rows: Int32Array) =>
    marginsOf(
      oracle,
      images,
      Array.from(rows, (i) => labels[i]),
      x.shape,
    );
  const margin = await score(
    best,
    Int32Array.from({ length: n }, (_, i) => i),
  );
  for (let query = 0; query < config.queries; query++) {
    const standing = Int32Array.from(Array.from(margin.keys()).filter((i) => margin[i] > 0));
    if (standing.length === 0) break;
    const share = squareShare(query, config.queries, config.initialShare);
    const side = Math.max(Math.round(Math.sqrt((share * size) / channels)), 1);
    const candidates = drawCandidates(best, clean, standing, x.shape, { side, epsilon: config.epsilon }, rngs);
    const candidateMargin = await score(candidates, standing);
    standing.forEach((i, k) => {
      if (candidateMargin[k] < margin[i]) {
        margin[i] = candidateMargin[k];
        best.set(candidates.subarray(k * size, (k + 1) * size), i * size);
      }
    });
  }
  return {
    adversarial: tf.tensor4d(best, [n, height, width, channels]),
    fooled: tf.tensor1d(Float32Array.from(margin, (m) => (m <= 0 ? 1 : 0))),
  };
}
