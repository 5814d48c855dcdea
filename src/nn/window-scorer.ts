import * as tf from '@tensorflow/tfjs';
import type { PixelWindow, WindowScorer } from '../attack/oracle';
import { readAndDispose } from '../util/read-tensor';
import type { LayerContext, LocalStage, LocalStages } from './network';

type Dims = [number, number, number]; // [H, W, C] of one row's map

/** A stage's new values for one candidate: the rect of its output map they cover, [height, width, C]. */
interface Patch {
  rect: PixelWindow;
  values: Float32Array;
}

/**
 * One side of the output rect per candidate, all of the same length (so the candidates batch): each candidate's
 * changed span [from, to) of the output axis, the span of the longest placed over it and slid inside [0, size).
 */
function uniformSpans(spans: Array<[number, number]>, size: number): Array<[number, number]> {
  const length = Math.min(size, Math.max(...spans.map(([from, to]) => to - from)));
  return spans.map(([from]) => {
    const start = Math.min(Math.max(from, 0), size - length);
    return [start, start + length];
  });
}

/** The output rects a stage must recompute, given the rects of its input that changed (inside the input map). */
function changedOutput(stage: LocalStage, changed: readonly PixelWindow[], [height, width]: Dims): PixelWindow[] {
  // A 3×3 convolution moves every output within one position of a changed input; a 2×2 pool of stride 2 after it
  // the outputs whose window holds a moved one.
  const span = (from: number, to: number): [number, number] =>
    stage.pooled ? [Math.floor((from - 1) / 2), Math.ceil((to + 1) / 2)] : [from - 1, to + 1];
  const rows = uniformSpans(
    changed.map((r) => span(r.top, r.top + r.height)),
    height,
  );
  const cols = uniformSpans(
    changed.map((r) => span(r.left, r.left + r.width)),
    width,
  );
  return rows.map(([top, bottom], k) => ({
    top,
    left: cols[k][0],
    height: bottom - top,
    width: cols[k][1] - cols[k][0],
  }));
}

/**
 * The input rect a stage reads to compute `output`: the convolution's outputs under it (twice as many with a pool),
 * and one more on every side (the convolution's border).
 */
function inputRect(stage: LocalStage, output: PixelWindow): PixelWindow {
  const scale = stage.pooled ? 2 : 1;
  return {
    top: scale * output.top - 1,
    left: scale * output.left - 1,
    height: scale * output.height + 2,
    width: scale * output.width + 2,
  };
}

/**
 * Writes `rect` of a row's map into `out` from `offset` ([rect.height, rect.width, C]): from `patch` where it covers
 * a position, else from `map` ([H, W, C]); zeros outside the map (a convolution's padding), written here since `out`
 * is reused.
 */
function gather(
  out: Float32Array,
  offset: number,
  map: Float32Array,
  patch: Patch | undefined,
  [height, width, channels]: Dims,
  rect: PixelWindow,
): void {
  const p = patch?.rect;
  const rowLength = rect.width * channels;
  for (let r = 0; r < rect.height; r++) {
    const row = rect.top + r;
    const rowOut = offset + r * rowLength;
    if (row < 0 || row >= height) {
      out.fill(0, rowOut, rowOut + rowLength);
      continue;
    }
    const inPatchRow = p !== undefined && row >= p.top && row < p.top + p.height;
    // Columns in three runs: left of the patch, in it, right of it (the patch's run is empty off its rows), between
    // zeros left and right of the map.
    const from = Math.max(rect.left, 0);
    const to = Math.min(rect.left + rect.width, width);
    const patchFrom = inPatchRow ? Math.min(Math.max(p.left, from), to) : to;
    const patchTo = inPatchRow ? Math.max(Math.min(p.left + p.width, to), patchFrom) : to;
    const at = (col: number) => rowOut + (col - rect.left) * channels;
    const copy = (source: Float32Array, sourceAt: number, col: number, count: number) => {
      if (count > 0) out.set(source.subarray(sourceAt, sourceAt + count * channels), at(col));
    };
    out.fill(0, rowOut, at(from));
    copy(map, (row * width + from) * channels, from, patchFrom - from);
    if (inPatchRow)
      copy(patch!.values, ((row - p.top) * p.width + patchFrom - p.left) * channels, patchFrom, patchTo - patchFrom);
    copy(map, (row * width + patchTo) * channels, patchTo, to - patchTo);
    out.fill(0, at(to), rowOut + rowLength);
  }
}

/**
 * Buffers the scorer gathers into (per stage, and the head's), rewritten at every query: allocated anew, they came to
 * megabytes per query at 50 standing examples and kept the collector busy. A tensor made from one is disposed within
 * the score that filled it, before the buffer is filled again.
 */
class Scratch {
  private readonly buffers: Float32Array[] = [];

  /** A buffer of `length` for `slot`, its contents left from the last use. */
  of(slot: number, length: number): Float32Array {
    if ((this.buffers[slot]?.length ?? 0) < length) this.buffers[slot] = new Float32Array(length);
    return this.buffers[slot].subarray(0, length);
  }
}

/** Writes a patch into a row's map ([H, W, C]). */
function commit(map: Float32Array, { rect, values }: Patch, [, width, channels]: Dims): void {
  const rowLength = rect.width * channels;
  for (let r = 0; r < rect.height; r++)
    map.set(values.subarray(r * rowLength, (r + 1) * rowLength), ((rect.top + r) * width + rect.left) * channels);
}

/**
 * A WindowScorer over a network's local stages. It keeps every stage's output map of each row's base image; a
 * candidate changed inside a window recomputes, stage by stage, only the output positions the window reaches (a
 * patch of the map with its border, padded with zeros where it leaves the map: the values 'same' padding gives), then
 * runs the head on the last map with the new patch in place. At Square's late windows of 1–4 pixels on a 28×28 image
 * that is about a quarter of the convolutions' work. The values are the body's: the same ops on the same inputs (the
 * oneDNN convolutions give the same bits on a patch as on the whole map: test/nn/window-scorer.test.ts).
 */
export function makeWindowScorer(
  local: LocalStages,
  context: LayerContext,
  shape: readonly number[], // [N, H, W, C]
): WindowScorer {
  const [rowCount, ...image] = shape;
  const inputDims = image as Dims;
  const maps: Float32Array[] = []; // per stage, its output for every row: [N, H, W, C]
  const dims: Dims[] = []; // per stage, its output's [H, W, C]
  const size = (d: Dims) => d[0] * d[1] * d[2];
  let pending: Patch[][] = []; // per stage, per candidate of the last score
  let pendingRows: ArrayLike<number> = [];
  const scratch = new Scratch();

  const headLogits = async (last: () => tf.Tensor4D) =>
    (await readAndDispose(tf.tidy(() => local.head(last(), context)))) as Float32Array;

  return {
    async setBase(images) {
      let h = tf.tensor4d(images, [rowCount, ...inputDims]);
      for (const [s, stage] of local.stages.entries()) {
        const next = tf.tidy(() => stage.apply(h, context, 'same'));
        h.dispose();
        h = next;
        dims[s] = h.shape.slice(1) as Dims;
        maps[s] = Float32Array.from(await h.data());
      }
      const logits = await headLogits(() => h);
      h.dispose();
      return logits;
    },

    async score(candidates, rows, windows) {
      const count = rows.length;
      let changed: readonly PixelWindow[] = windows;
      pending = [];
      pendingRows = rows;
      for (const [s, stage] of local.stages.entries()) {
        const inDims = s === 0 ? inputDims : dims[s - 1];
        const outputs = changedOutput(stage, changed, dims[s]);
        const reads = outputs.map((rect) => inputRect(stage, rect));
        const patchSize = reads[0].height * reads[0].width * inDims[2];
        const input = scratch.of(s, count * patchSize);
        reads.forEach((rect, k) =>
          s === 0
            ? gather(
                input,
                k * patchSize,
                candidates.subarray(k * size(inDims), (k + 1) * size(inDims)),
                undefined,
                inDims,
                rect,
              )
            : gather(input, k * patchSize, mapOf(s - 1, rows[k]), pending[s - 1][k], inDims, rect),
        );
        const values = (await readAndDispose(
          tf.tidy(() =>
            stage.apply(tf.tensor4d(input, [count, reads[0].height, reads[0].width, inDims[2]]), context, 'valid'),
          ),
        )) as Float32Array;
        const outSize = outputs[0].height * outputs[0].width * dims[s][2];
        pending[s] = outputs.map((rect, k) => ({ rect, values: values.subarray(k * outSize, (k + 1) * outSize) }));
        changed = outputs;
      }
      const last = local.stages.length - 1;
      const whole = { top: 0, left: 0, height: dims[last][0], width: dims[last][1] };
      const final = scratch.of(local.stages.length, count * size(dims[last]));
      rows.forEach((row, k) =>
        gather(final, k * size(dims[last]), mapOf(last, row), pending[last][k], dims[last], whole),
      );
      return headLogits(() => tf.tensor4d(final, [count, ...dims[last]]));
    },

    accept(k) {
      pending.forEach((patches, s) => commit(mapOf(s, pendingRows[k]), patches[k], dims[s]));
    },
  };

  function mapOf(stage: number, row: number): Float32Array {
    const n = size(dims[stage]);
    return maps[stage].subarray(row * n, (row + 1) * n);
  }
}
