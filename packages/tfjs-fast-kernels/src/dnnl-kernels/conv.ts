import type { TensorInfo } from '@tensorflow/tfjs';
import type { DnnlBinding } from '../dnnl-binding';
import type { FastKernel } from '../kernel-registry';
import { convGeometry, outputShape, type ConvGeometry } from '../ort-kernels/conv-geometry';
import { computeWithViews } from '../tensor-access';

/** Empty tensors stay with TF.js: the addon refuses zero-sized dimensions. */
function nonEmpty(g: ConvGeometry | null): g is ConvGeometry {
  return g !== null && g.batch > 0 && g.inChannels > 0 && g.outChannels > 0;
}

/** The numbers the addon's conv takes, in the order native/dnnl-kernels.cc reads them. */
function geometryArray(g: ConvGeometry): number[] {
  return [
    g.batch,
    g.inHeight,
    g.inWidth,
    g.inChannels,
    g.outHeight,
    g.outWidth,
    g.outChannels,
    g.filterHeight,
    g.filterWidth,
    g.strideHeight,
    g.strideWidth,
    g.dilationHeight,
    g.dilationWidth,
    g.top,
    g.left,
    g.bottom,
    g.right,
  ];
}

/**
 * Conv2D on oneDNN, reading TF.js's NHWC input and HWIO filter where they lie. oneDNN's output-size rule is ONNX's
 * (floor), so the geometries convGeometry refuses fall back here too.
 */
export function dnnlConv2dKernel(dnnl: DnnlBinding): FastKernel {
  return {
    kernelName: 'Conv2D',
    run: ({ inputs, attrs, access }) => {
      const x = inputs.x as TensorInfo;
      const filter = inputs.filter as TensorInfo;
      const dilations = (attrs.dilations as number | [number, number] | undefined) ?? 1;
      const g = convGeometry(x.shape, filter.shape, attrs, dilations);
      if (!nonEmpty(g)) return null;
      const outputs = computeWithViews(access, [x, filter], [outputShape(g)], ([xData, filterData], [yData]) =>
        dnnl.conv(0, geometryArray(g), xData, filterData, yData),
      );
      return outputs && outputs[0];
    },
  };
}

/** dL/dx of a conv: oneDNN's backward-data primitive, any stride and padding the forward accepts. */
export function dnnlConv2dBackpropInputKernel(dnnl: DnnlBinding): FastKernel {
  return {
    kernelName: 'Conv2DBackpropInput',
    run: ({ inputs, attrs, access }) => {
      const dy = inputs.dy as TensorInfo;
      const filter = inputs.filter as TensorInfo;
      const inputShape = attrs.inputShape as number[];
      const g = convGeometry(inputShape, filter.shape, attrs);
      if (!nonEmpty(g) || dy.shape.join() !== outputShape(g).join()) return null;
      const outputs = computeWithViews(access, [dy, filter], [inputShape], ([dyData, filterData], [dxData]) =>
        dnnl.conv(1, geometryArray(g), dyData, filterData, dxData),
      );
      return outputs && outputs[0];
    },
  };
}

/** dL/dfilter of a conv: oneDNN's backward-weights primitive, written back as TF.js's [kh, kw, in, out]. */
export function dnnlConv2dBackpropFilterKernel(dnnl: DnnlBinding): FastKernel {
  return {
    kernelName: 'Conv2DBackpropFilter',
    run: ({ inputs, attrs, access }) => {
      const x = inputs.x as TensorInfo;
      const dy = inputs.dy as TensorInfo;
      const filterShape = attrs.filterShape as number[];
      const g = convGeometry(x.shape, filterShape, attrs);
      if (!nonEmpty(g) || dy.shape.join() !== outputShape(g).join()) return null;
      const outputs = computeWithViews(access, [x, dy], [filterShape], ([xData, dyData], [dwData]) =>
        dnnl.conv(2, geometryArray(g), xData, dyData, dwData),
      );
      return outputs && outputs[0];
    },
  };
}
