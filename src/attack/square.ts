import * as tf from '@tensorflow/tfjs';
import { readAndDispose } from '../util/read-tensor';
import { deriveSeed, Rng } from '../util/rng';
import type { ModelOracle, PixelWindow, StartSeeds } from './oracle';
import type { AttackResult } from './pgd';

export interface SquareConfig {
  epsilon: number;
  /** Queries after the initial one (AutoAttack: 5000). */
  queries: number;
  /** Share of the image's pixels the first squares cover (AutoAttack: 0.8). */
  initialShare: number;
}

/**
 * The paper's schedule of the square's share p, halved at fixed points of a 10 000-query run and stretched to
 * the query budget (Andriushchenko et al. 2020; AutoAttack rescales it the same way).
 */
export function squareShare(iteration: number, queries: number, initialShare: number): number {
  const at = Math.floor((iteration / queries) * 10000);
  const bounds = [10, 50, 200, 500, 1000, 2000, 4000, 6000, 8000];
  const halvings = bounds.filter((bound) => at > bound).length;
  return initialShare / 2 ** halvings;
}

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

/** One square window of an example ([H, W, C]): where it sits and the sign of each channel's ±ε. */
interface SquareWindow {
  top: number;
  left: number;
  sideH: number;
  sideW: number;
  signs: number[];
}

/** A window of side `side` (clipped to the image): position, then signs, drawn from the example's stream. */
function drawWindow([, height, width, channels]: readonly number[], side: number, rng: Rng): SquareWindow {
  const [sideH, sideW] = [Math.min(side, height), Math.min(side, width)];
  const top = rng.nextInt(height - sideH + (sideH === height ? 1 : 0));
  const left = rng.nextInt(width - sideW + (sideW === width ? 1 : 0));
  const signs = Array.from({ length: channels }, () => (rng.next() < 0.5 ? -1 : 1));
  return { top, left, sideH, sideW, signs };
}

/** A number naming the window: equal windows (sides, position, signs) get equal numbers, different ones not. */
function windowKey({ top, left, sideH, sideW, signs }: SquareWindow, [, height, width]: readonly number[]): number {
  const place = ((sideH * (height + 1) + top) * (width + 1) + sideW) * (width + 1) + left;
  return signs.reduce((key, sign) => key * 2 + (sign > 0 ? 1 : 0), place);
}

/**
 * Sets the window of `candidate` (one example, [H, W, C]) to ±ε per channel around `clean`. Returns whether any
 * value changed: a window redrawn to the signs it already has leaves the candidate equal to the best point.
 */
function paintWindow(
  candidate: Float32Array,
  clean: Float32Array,
  [, , width, channels]: readonly number[], // [N, H, W, C]
  { top, left, sideH, sideW, signs }: SquareWindow,
  epsilon: number,
): boolean {
  let changed = false;
  for (let r = top; r < top + sideH; r++) {
    for (let c = left; c < left + sideW; c++) {
      for (let ch = 0; ch < channels; ch++) {
        const p = (r * width + c) * channels + ch;
        const previous = candidate[p];
        candidate[p] = clipToBall(clean[p] + epsilon * signs[ch], clean[p], epsilon);
        changed ||= candidate[p] !== previous;
      }
    }
  }
  return changed;
}

/**
 * For each standing example, its best point with one square window redrawn, drawn in the order of `standing` (each
 * example's stream advances once per query, scored or not). Only candidates whose margin is not known already are
 * returned ([rows, H, W, C], `rows` naming their examples, `keys` their windows): not one equal to its best point,
 * nor one whose window `tried` holds (the example's windows rejected since its best point last changed, which give
 * the same candidate again). Such a candidate's margin did not drop before and cannot drop now, so the model need
 * not score it (AutoAttack redraws an unchanged window instead, which would change the draws).
 */
function drawCandidates(
  best: Float32Array,
  clean: Float32Array,
  standing: Int32Array,
  shape: readonly number[], // [N, H, W, C]
  window: { side: number; epsilon: number; tried: Array<Set<number>> },
  rngs: Rng[],
): { candidates: Float32Array; rows: Int32Array; keys: number[]; windows: PixelWindow[] } {
  const size = shape[1] * shape[2] * shape[3];
  const candidates = new Float32Array(standing.length * size);
  const [rows, keys, windows]: [number[], number[], PixelWindow[]] = [[], [], []];
  for (const i of standing) {
    const drawn = drawWindow(shape, window.side, rngs[i]);
    const key = windowKey(drawn, shape);
    if (window.tried[i].has(key)) continue;
    const candidate = candidates.subarray(rows.length * size, (rows.length + 1) * size);
    candidate.set(best.subarray(i * size, (i + 1) * size));
    if (paintWindow(candidate, clean.subarray(i * size, (i + 1) * size), shape, drawn, window.epsilon)) {
      rows.push(i);
      keys.push(key);
      windows.push({ top: drawn.top, left: drawn.left, height: drawn.sideH, width: drawn.sideW });
    } else window.tried[i].add(key);
  }
  return { candidates: candidates.subarray(0, rows.length * size), rows: Int32Array.from(rows), keys, windows };
}

/** The logits of `images` ([rows, H, W, C]): one forward pass. */
async function logitsOf(
  oracle: ModelOracle,
  images: Float32Array,
  rows: number,
  [, height, width, channels]: readonly number[], // [N, H, W, C]
): Promise<Float32Array> {
  return (await readAndDispose(
    tf.tidy(() => oracle.logits(tf.tensor4d(images, [rows, height, width, channels]))),
  )) as Float32Array;
}

/**
 * Square Attack, L∞ (Andriushchenko et al. 2020), a random search that uses only logits, so masked or zero
 * gradients do not stop it. Start: vertical stripes of ±ε; each query redraws one square window (side from the
 * p schedule) to ±ε per channel and keeps it when the margin loss drops. Window and signs are drawn per example
 * from (seed, example) — AutoAttack draws one window per batch — so outcomes do not depend on the batch.
 * Works on the host: the images travel as typed arrays, the model sees one batch of candidates per query, without
 * those whose margin is known (equal to the best point, or to a candidate rejected since it last changed). Where
 * the oracle offers a window scorer (SmallCNN), a candidate costs only what its window changes, with the same
 * logits. Costs 1 + queries forward passes per example at most (fooled examples stop, known candidates are not
 * scored). The caller owns the result.
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
  const marginsOfRows = (logits: Float32Array, rows: Int32Array) =>
    margins(
      logits,
      Array.from(rows, (i) => labels[i]),
      logits.length / rows.length,
    );
  // Where the model has one, candidates are scored by recomputing only what their window changes.
  const scorer = oracle.windowScorer?.(x.shape);
  const margin = marginsOfRows(
    scorer ? await scorer.setBase(best) : await logitsOf(oracle, best, n, x.shape),
    Int32Array.from({ length: n }, (_, i) => i),
  );
  // Per example, the windows rejected (scored, or leaving the point unchanged) since its best point last changed.
  const tried = Array.from({ length: n }, () => new Set<number>());
  for (let query = 0; query < config.queries; query++) {
    const standing = Int32Array.from(Array.from(margin.keys()).filter((i) => margin[i] > 0));
    if (standing.length === 0) break;
    const share = squareShare(query, config.queries, config.initialShare);
    const side = Math.max(Math.round(Math.sqrt((share * size) / channels)), 1);
    const window = { side, epsilon: config.epsilon, tried };
    const { candidates, rows, keys, windows } = drawCandidates(best, clean, standing, x.shape, window, rngs);
    if (rows.length === 0) continue;
    const candidateMargin = marginsOfRows(
      scorer ? await scorer.score(candidates, rows, windows) : await logitsOf(oracle, candidates, rows.length, x.shape),
      rows,
    );
    rows.forEach((i, k) => {
      if (candidateMargin[k] < margin[i]) {
        margin[i] = candidateMargin[k];
        best.set(candidates.subarray(k * size, (k + 1) * size), i * size);
        scorer?.accept(k);
        tried[i].clear();
      } else tried[i].add(keys[k]);
    });
  }
  return {
    adversarial: tf.tensor4d(best, [n, height, width, channels]),
    fooled: tf.tensor1d(Float32Array.from(margin, (m) => (m <= 0 ? 1 : 0))),
  };
}
