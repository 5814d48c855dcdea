import type { Batch, ImageDataset, Split } from './types';
import { deriveSeed, Rng } from '../util/rng';

/**
 * `glyphs`: an embedded 10-class dataset of 28×28 grey stroke drawings, generated in-process from a seed
 * (no files, no download). Each class is a fixed set of strokes; every example draws it under a random affine
 * map, stroke thickness, contrast and pixel noise, so the task needs real features, not a lookup.
 */

type Point = [number, number];
type Stroke = Point[]; // a polyline in the unit square, y down

function arc(cx: number, cy: number, rx: number, ry: number, from: number, to: number, n = 12): Stroke {
  return Array.from({ length: n + 1 }, (_, i) => {
    const t = from + ((to - from) * i) / n;
    return [cx + rx * Math.cos(t), cy + ry * Math.sin(t)] as Point;
  });
}

const CLASS_STROKES: readonly (readonly Stroke[])[] = [
  [arc(0.5, 0.5, 0.3, 0.36, 0, 2 * Math.PI, 16)], // ring
  [
    [
      [0.5, 0.15],
      [0.5, 0.85],
    ],
  ], // vertical bar
  [
    [
      [0.15, 0.5],
      [0.85, 0.5],
    ],
  ], // horizontal bar
  [
    [
      [0.5, 0.15],
      [0.5, 0.85],
    ],
    [
      [0.15, 0.5],
      [0.85, 0.5],
    ],
  ], // plus
  [
    [
      [0.2, 0.2],
      [0.8, 0.8],
    ],
    [
      [0.8, 0.2],
      [0.2, 0.8],
    ],
  ], // cross
  [
    [
      [0.5, 0.15],
      [0.85, 0.8],
      [0.15, 0.8],
      [0.5, 0.15],
    ],
  ], // triangle
  [
    [
      [0.2, 0.2],
      [0.8, 0.2],
      [0.8, 0.8],
      [0.2, 0.8],
      [0.2, 0.2],
    ],
  ], // square
  [
    [
      [0.25, 0.15],
      [0.25, 0.85],
      [0.8, 0.85],
    ],
  ], // L
  [
    [
      [0.15, 0.2],
      [0.85, 0.2],
    ],
    [
      [0.5, 0.2],
      [0.5, 0.85],
    ],
  ], // T
  [arc(0.5, 0.5, 0.32, 0.32, 0.2 * Math.PI, 1.8 * Math.PI, 14)], // open arc (C turned)
];

export const GLYPH_CLASS_NAMES = ['ring', 'bar', 'dash', 'plus', 'cross', 'triangle', 'square', 'ell', 'tee', 'arc'];
const SIDE = 28;

/** Distance from p to segment ab. */
function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const lengthSq = dx * dx + dy * dy;
  const t = lengthSq === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / lengthSq));
  const ex = px - (ax + t * dx);
  const ey = py - (ay + t * dy);
  return Math.sqrt(ex * ex + ey * ey);
}

/** Renders one example of `label` into `out` (784 floats) with randomness from `rng`. */
export function renderGlyph(label: number, rng: Rng, out: Float32Array): void {
  const angle = rng.uniform(-0.35, 0.35);
  const scale = rng.uniform(0.75, 1.05);
  const shear = rng.uniform(-0.25, 0.25);
  const [tx, ty] = [rng.uniform(-0.1, 0.1), rng.uniform(-0.1, 0.1)];
  const cos = Math.cos(angle) * scale;
  const sin = Math.sin(angle) * scale;
  // Jitter each stroke vertex a little so no two examples share a skeleton.
  const segments: number[] = [];
  for (const stroke of CLASS_STROKES[label]) {
    const mapped = stroke.map(([x, y]) => {
      const [u, v] = [x - 0.5 + rng.uniform(-0.04, 0.04), y - 0.5 + rng.uniform(-0.04, 0.04)];
      const sheared = u + shear * v;
      return [(cos * sheared - sin * v + 0.5 + tx) * SIDE, (sin * sheared + cos * v + 0.5 + ty) * SIDE];
    });
    for (let i = 1; i < mapped.length; i++) segments.push(...mapped[i - 1], ...mapped[i]);
  }
  const thickness = rng.uniform(0.9, 2.2);
  const ink = rng.uniform(0.6, 1);
  const background = rng.uniform(0, 0.2);
  const noise = rng.uniform(0.02, 0.12);
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      let nearest = Infinity;
      for (let s = 0; s < segments.length; s += 4) {
        const d = segmentDistance(x + 0.5, y + 0.5, segments[s], segments[s + 1], segments[s + 2], segments[s + 3]);
        if (d < nearest) nearest = d;
      }
      const coverage = Math.max(0, Math.min(1, thickness - nearest + 0.5));
      const value = background + (ink - background) * coverage + noise * rng.normal();
      out[y * SIDE + x] = Math.max(0, Math.min(1, value));
    }
  }
}

export interface GlyphsOptions {
  trainSize: number;
  testSize: number;
  seed: number;
}

/** Generates both splits up front (a few MB); labels cycle through the classes in a seeded order. */
export function createGlyphs(options: GlyphsOptions): ImageDataset {
  const pixels = SIDE * SIDE;
  const generate = (split: Split, count: number): Batch => {
    const rng = new Rng(deriveSeed(options.seed, 'glyphs', split));
    const images = new Float32Array(count * pixels);
    const labels = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      labels[i] = rng.nextInt(CLASS_STROKES.length);
      renderGlyph(labels[i], rng, images.subarray(i * pixels, (i + 1) * pixels));
    }
    return { images, labels, count };
  };
  const splits: Record<Split, Batch> = {
    train: generate('train', options.trainSize),
    test: generate('test', options.testSize),
  };
  return {
    name: 'glyphs',
    shape: { height: SIDE, width: SIDE, channels: 1 },
    numClasses: CLASS_STROKES.length,
    classNames: GLYPH_CLASS_NAMES,
    warnings: [],
    size: (split) => splits[split].count,
    read: async (split, indices) => gatherBatch(splits[split], indices, pixels),
  };
}

/** Copies the examples at `indices` out of an in-memory split. */
export function gatherBatch(source: Batch, indices: ArrayLike<number>, pixelsPerExample: number): Batch {
  const images = new Float32Array(indices.length * pixelsPerExample);
  const labels = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const index = indices[i];
    images.set(source.images.subarray(index * pixelsPerExample, (index + 1) * pixelsPerExample), i * pixelsPerExample);
    labels[i] = source.labels[index];
  }
  return { images, labels, count: indices.length };
}
