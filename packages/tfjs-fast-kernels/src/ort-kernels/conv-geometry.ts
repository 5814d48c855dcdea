import * as tf from '@tensorflow/tfjs';
import type { NamedAttrMap } from '@tensorflow/tfjs';

/** The geometry of one NHWC 2-D convolution, in the numbers ONNX attributes need. */
export interface ConvGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/**
 * TF.js's own conv geometry for these attributes, or null when ONNX cannot express it the same way:
 * channels-first data, negative pads, or an output size ONNX's floor rule would not reproduce
 * (dimRoundingMode 'ceil'/'round' with explicit pads).
 */
export function convGeometry(
  xShape: readonly number[],
  filterShape: readonly number[],
  attrs: NamedAttrMap,
  dilations: number | [number, number] = 1,
): ConvGeometry | null {
  if (xShape.length !== 4 || filterShape.length !== 4) return null;
  const dataFormat = (attrs.dataFormat as string | undefined) ?? 'NHWC';
  if (dataFormat !== 'NHWC') return null;
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides as number | [number, number],
    dilations,
    attrs.pad as 'same' | 'valid' | number,
    attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
  );
  const { top, left, bottom, right } = info.padInfo;
  const g: ConvGeometry = {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    dilationHeight: info.dilationHeight,
    dilationWidth: info.dilationWidth,
    top,
    left,
    bottom,
    right,
  };
  if (Math.min(top, left, bottom, right) < 0 || g.outHeight < 1 || g.outWidth < 1) return null;
  const onnxOut = (size: number, k: number, d: number, s: number, p: number) =>
    Math.floor((size + p - ((k - 1) * d + 1)) / s) + 1;
  if (onnxOut(g.inHeight, g.filterHeight, g.dilationHeight, g.strideHeight, top + bottom) !== g.outHeight) return null;
  if (onnxOut(g.inWidth, g.filterWidth, g.dilationWidth, g.strideWidth, left + right) !== g.outWidth) return null;
  return g;
}

/** The NHWC shape of the conv's output, which is also dy's shape in both gradients. */
export function outputShape(g: ConvGeometry): number[] {
  return [g.batch, g.outHeight, g.outWidth, g.outChannels];
}

/** Floats per image of the input and of the output: what a batch chunk moves through ORT. */
export function floatsPerImage(g: ConvGeometry): { input: number; output: number } {
  return { input: g.inHeight * g.inWidth * g.inChannels, output: g.outHeight * g.outWidth * g.outChannels };
}

/** A cache key for sessions: the kernel name plus every number that shapes the graph. */
export function geometryKey(kernel: string, g: ConvGeometry): string {
  return `${kernel}:${Object.values(g).join(',')}`;
}
