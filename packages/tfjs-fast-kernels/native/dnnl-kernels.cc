// oneDNN convolutions, and training batch norm as threaded loops, on TF.js's own buffers (NHWC activations, HWIO filters), for the
// fast-kernel package. Every entry point takes Float32Arrays that view the tensors' storage (a JS typed array on
// the cpu backend, the wasm heap on wasm) and writes the output in place; nothing is copied on the way in or out.
// Primitives are built once per geometry and kept in a bounded least-recently-used cache, since building one
// JIT-compiles code and a training step calls the same few dozen geometries over and over.
#include <node_api.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <list>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <immintrin.h>
#include <oneapi/dnnl/dnnl.hpp>

namespace {

using dnnl::memory;
using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;

dnnl::engine &cpuEngine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

dnnl::stream &cpuStream() {
  static dnnl::stream stream(cpuEngine());
  return stream;
}

// The geometry TF.js's computeConv2DInfo gives, in this order (conv-geometry.ts writes it).
enum Geo {
  kBatch,
  kInH,
  kInW,
  kInC,
  kOutH,
  kOutW,
  kOutC,
  kFilterH,
  kFilterW,
  kStrideH,
  kStrideW,
  kDilationH,
  kDilationW,
  kTop,
  kLeft,
  kBottom,
  kRight,
  kGeoCount
};

enum ConvKind { kForward = 0, kBackwardData = 1, kBackwardWeights = 2 };

using GeoKey = std::vector<int64_t>;  // kind, then the geometry

struct ConvDescs {
  memory::desc src, weightsAny, dst, userWeights;
  memory::dims strides, dilations, padL, padR;
};

ConvDescs descsFor(const int64_t *g) {
  ConvDescs d;
  d.src = memory::desc({g[kBatch], g[kInC], g[kInH], g[kInW]}, dt::f32, tag::nhwc);
  d.dst = memory::desc({g[kBatch], g[kOutC], g[kOutH], g[kOutW]}, dt::f32, tag::nhwc);
  d.weightsAny = memory::desc({g[kOutC], g[kInC], g[kFilterH], g[kFilterW]}, dt::f32, tag::any);
  d.userWeights = memory::desc({g[kOutC], g[kInC], g[kFilterH], g[kFilterW]}, dt::f32, tag::hwio);
  d.strides = {g[kStrideH], g[kStrideW]};
  // oneDNN counts dilation from 0 (no dilation), TF.js from 1.
  d.dilations = {g[kDilationH] - 1, g[kDilationW] - 1};
  d.padL = {g[kTop], g[kLeft]};
  d.padR = {g[kBottom], g[kRight]};
  return d;
}

dnnl::convolution_forward::primitive_desc forwardDesc(const ConvDescs &d) {
  dnnl::convolution_forward::desc desc(dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct, d.src,
                                       d.weightsAny, d.dst, d.strides, d.dilations, d.padL, d.padR);
  return dnnl::convolution_forward::primitive_desc(desc, cpuEngine());
}

// One cached convolution: the primitive, and the filter-shaped buffer in oneDNN's preferred layout with the reorder
// between it and TF.js's HWIO (or none when oneDNN takes HWIO as it is).
struct ConvPlan {
  dnnl::primitive conv;
  memory::desc src, dst, weights, userWeights;
  bool reorderWeights = false;
  dnnl::reorder weightsReorder;
  std::unique_ptr<memory> weightsBuffer;
  std::string impl;
  // Backward data of a one-input-channel convolution through singleChannelBackwardData: unknown until the first call
  // compares it with oneDNN's on random values, then used (same bits) or never (other bits, or not eligible).
  enum class OwnKernel { kUntested, kSameBits, kNo } ownKernel = OwnKernel::kUntested;
};

std::unique_ptr<ConvPlan> buildPlan(int kind, const int64_t *g) {
  ConvDescs d = descsFor(g);
  auto plan = std::make_unique<ConvPlan>();
  plan->src = d.src;
  plan->dst = d.dst;
  plan->userWeights = d.userWeights;
  auto fwd = forwardDesc(d);
  if (kind == kForward) {
    plan->conv = dnnl::convolution_forward(fwd);
    plan->weights = fwd.weights_desc();
    plan->impl = fwd.impl_info_str();
  } else if (kind == kBackwardData) {
    dnnl::convolution_backward_data::desc desc(dnnl::algorithm::convolution_direct, d.src, d.weightsAny, d.dst,
                                               d.strides, d.dilations, d.padL, d.padR);
    dnnl::convolution_backward_data::primitive_desc pd(desc, cpuEngine(), fwd);
    plan->conv = dnnl::convolution_backward_data(pd);
    plan->weights = pd.weights_desc();
    plan->impl = pd.impl_info_str();
  } else {
    dnnl::convolution_backward_weights::desc desc(dnnl::algorithm::convolution_direct, d.src, d.weightsAny, d.dst,
                                                  d.strides, d.dilations, d.padL, d.padR);
    dnnl::convolution_backward_weights::primitive_desc pd(desc, cpuEngine(), fwd);
    plan->conv = dnnl::convolution_backward_weights(pd);
    plan->weights = pd.diff_weights_desc();
    plan->impl = pd.impl_info_str();
  }
  plan->reorderWeights = plan->weights != plan->userWeights;
  if (plan->reorderWeights) {
    plan->weightsBuffer = std::make_unique<memory>(plan->weights, cpuEngine());
    plan->weightsReorder = kind == kBackwardWeights
                               ? dnnl::reorder(dnnl::reorder::primitive_desc(cpuEngine(), plan->weights, cpuEngine(),
                                                                             plan->userWeights))
                               : dnnl::reorder(dnnl::reorder::primitive_desc(cpuEngine(), plan->userWeights,
                                                                             cpuEngine(), plan->weights));
  }
  return plan;
}

// ---- Backward data of a convolution with one input channel (a grayscale image's first layer) ----
// oneDNN's kernel blocks the input channels by 16 and so spends 15 of 16 lanes on padding here: 7 GFLOP/s against
// ~100 for the other layers, ~5 % of an MNIST attack's gradient. This computes each dx in the order that kernel sums
// (measured on avx512_core: output channels in blocks of 16, then the filter rows, columns, and the channels of the
// block, one fused multiply-add each, taps outside dy skipped) but 16 output columns to a vector. The order is
// checked, not assumed: the first call of each geometry runs both on random values and keeps this one only when every
// bit agrees.

// True where the CPU has the AVX-512 this kernel is compiled for.
bool hasAvx512() {
  static const bool has = __builtin_cpu_supports("avx512f");
  return has;
}

// The lanes of a 16-float vector that hold the next `rest` values (all of them from 16 on, none from 0 down).
inline __mmask16 lanesFor(int64_t rest) {
  return static_cast<__mmask16>(rest >= 16 ? 0xFFFF : rest > 0 ? (1u << rest) - 1 : 0);
}

// One dx line's columns [col, col + 16·B): B independent sums (one chain would wait on the multiply-add's latency).
template <int B>
__attribute__((target("avx512f"), always_inline)) inline void singleChannelLine(const int64_t *g, const float *dyT,
                                                                                 const float *w, int64_t n, int64_t row,
                                                                                 int64_t col, float *dxLine) {
  const int64_t inW = g[kInW], outH = g[kOutH], outW = g[kOutW];
  const int64_t oc = g[kOutC], kh = g[kFilterH], kw = g[kFilterW], top = g[kTop], left = g[kLeft];
  __m512 acc[B];
  for (int b = 0; b < B; ++b) acc[b] = _mm512_setzero_ps();
  for (int64_t c0 = 0; c0 < oc; c0 += 16)
    for (int64_t i = 0; i < kh; ++i) {
      const int64_t oh = row + top - i;
      if (oh < 0 || oh >= outH) continue;
      const float *dyRow = dyT + ((n * outH + oh) * oc) * outW;
      for (int64_t j = 0; j < kw; ++j) {
        // Lanes whose column maps inside dy (and inside dx): the others keep their sum.
        __mmask16 lanes[B];
        for (int b = 0; b < B; ++b) {
          lanes[b] = 0;
          for (int64_t k = 0; k < 16; ++k) {
            const int64_t x = col + 16 * b + k, ow = x + left - j;
            if (x < inW && ow >= 0 && ow < outW) lanes[b] = static_cast<__mmask16>(lanes[b] | (1u << k));
          }
        }
        const float *tap = w + (i * kw + j) * oc;
        const int64_t last = std::min(c0 + 16, oc);
        for (int64_t c = c0; c < last; ++c) {
          const __m512 weight = _mm512_set1_ps(tap[c]);
          const float *at = dyRow + c * outW + col + left - j;
#pragma GCC unroll 4
          for (int b = 0; b < B; ++b)
            acc[b] = _mm512_mask3_fmadd_ps(_mm512_maskz_loadu_ps(lanes[b], at + 16 * b), weight, acc[b], lanes[b]);
        }
      }
    }
  for (int b = 0; b < B; ++b) {
    _mm512_mask_storeu_ps(dxLine + col + 16 * b, lanesFor(inW - (col + 16 * b)), acc[b]);
  }
}

// dx [N, inH, inW] from dy [N, outH, outW, OC] and the filter [KH, KW, 1, OC], stride and dilation 1, pads top/left.
__attribute__((target("avx512f"))) void singleChannelBackwardData(const int64_t *g, const float *dy, const float *w,
                                                                   float *dx) {
  const int64_t batch = g[kBatch], inH = g[kInH], inW = g[kInW], outH = g[kOutH], outW = g[kOutW], oc = g[kOutC];
  // dy with the output channel before the column, so 16 neighbouring columns of one channel are one load (kept between
  // calls, as large as the largest dy so far: 51 MB for 512 MNIST rows of 32 channels).
  static thread_local std::vector<float> transposed;
  transposed.resize(static_cast<size_t>(batch * outH * oc * outW));
  float *dyT = transposed.data();
#pragma omp parallel for schedule(static)
  for (int64_t line = 0; line < batch * outH; ++line)
    for (int64_t x = 0; x < outW; ++x)
      for (int64_t c = 0; c < oc; ++c) dyT[(line * oc + c) * outW + x] = dy[(line * outW + x) * oc + c];
#pragma omp parallel for schedule(static)
  for (int64_t line = 0; line < batch * inH; ++line) {
    const int64_t n = line / inH, row = line % inH;
    // Four blocks while more than three are left, then two, then one.
    int64_t col = 0;
    for (; col + 48 < inW; col += 64) singleChannelLine<4>(g, dyT, w, n, row, col, dx + line * inW);
    for (; col + 16 < inW; col += 32) singleChannelLine<2>(g, dyT, w, n, row, col, dx + line * inW);
    if (col < inW) singleChannelLine<1>(g, dyT, w, n, row, col, dx + line * inW);
  }
}

// Calls served by singleChannelBackwardData (stats().ownBackwardData: tests check the kernel ran), and whether it may
// serve them (setOwnKernels(false): every call on oneDNN, and every dense product on ORT, for tests to compare with).
size_t ownBackwardDataCalls = 0;
bool ownKernelsOn = true;

bool singleChannelEligible(const int64_t *g) {
  return hasAvx512() && g[kInC] == 1 && g[kStrideH] == 1 && g[kStrideW] == 1 && g[kDilationH] == 1 &&
         g[kDilationW] == 1;
}

// A bounded least-recently-used map from geometry to plan: evaluation with odd last batches or many models must not
// grow native memory without limit.
class PlanCache {
 public:
  explicit PlanCache(size_t capacity) : capacity_(capacity) {}

  ConvPlan &get(int kind, const int64_t *g) {
    GeoKey key(g, g + kGeoCount);
    key.insert(key.begin(), kind);
    auto found = index_.find(key);
    if (found != index_.end()) {
      order_.splice(order_.begin(), order_, found->second);
      return *found->second->second;
    }
    auto plan = buildPlan(kind, g);
    ++created_;
    order_.emplace_front(key, std::move(plan));
    index_[key] = order_.begin();
    while (order_.size() > capacity_) {
      index_.erase(order_.back().first);
      order_.pop_back();
    }
    return *order_.front().second;
  }

  size_t alive() const { return order_.size(); }
  size_t created() const { return created_; }
  size_t capacity() const { return capacity_; }
  void clear() {
    index_.clear();
    order_.clear();
  }
  void setCapacity(size_t capacity) {
    capacity_ = capacity;
    while (order_.size() > capacity_) {
      index_.erase(order_.back().first);
      order_.pop_back();
    }
  }
  const std::string &lastImpl() const { return order_.empty() ? empty_ : order_.front().second->impl; }

 private:
  using Entry = std::pair<GeoKey, std::unique_ptr<ConvPlan>>;
  size_t capacity_;
  size_t created_ = 0;
  std::list<Entry> order_;
  std::map<GeoKey, std::list<Entry>::iterator> index_;
  std::string empty_;
};

PlanCache &planCache() {
  static PlanCache cache(96);
  return cache;
}

// ---- Training batch norm and the per-channel affine map, as threaded loops ----
// The same arithmetic as src/js-kernels/batch-norm.ts (float64 sums about each channel's first value, float64
// elementwise maths stored as float32), on every core. Sums run over fixed blocks of rows whose partial sums are added
// in block order, so the result does not depend on the number of threads.

constexpr int64_t kRowsPerBlock = 1024;

struct FloatsView {
  const float *data;
  size_t length;
};

// Σ f(row, channel) per channel over all rows, in blocks, into out (float64, length channels).
template <typename F>
void blockedChannelSums(int64_t rows, int64_t channels, F add, std::vector<double> &outA, std::vector<double> &outB) {
  const int64_t blocks = (rows + kRowsPerBlock - 1) / kRowsPerBlock;
  std::vector<double> partA(static_cast<size_t>(blocks * channels), 0.0), partB(partA.size(), 0.0);
#pragma omp parallel for schedule(static)
  for (int64_t b = 0; b < blocks; ++b) {
    double *a = &partA[static_cast<size_t>(b * channels)];
    double *q = &partB[static_cast<size_t>(b * channels)];
    const int64_t end = std::min(rows, (b + 1) * kRowsPerBlock);
    for (int64_t r = b * kRowsPerBlock; r < end; ++r) add(r, a, q);
  }
  outA.assign(static_cast<size_t>(channels), 0.0);
  outB.assign(static_cast<size_t>(channels), 0.0);
  for (int64_t b = 0; b < blocks; ++b)
    for (int64_t c = 0; c < channels; ++c) {
      outA[c] += partA[static_cast<size_t>(b * channels + c)];
      outB[c] += partB[static_cast<size_t>(b * channels + c)];
    }
}

void batchNormForward(const float *x, int64_t rows, int64_t channels, const float *gamma, const float *beta,
                      double epsilon, float *y, float *mean, float *variance) {
  std::vector<double> pivot(x, x + channels), sum, squares;
  blockedChannelSums(
      rows, channels,
      [&](int64_t r, double *s, double *q) {
        const float *row = x + r * channels;
        for (int64_t c = 0; c < channels; ++c) {
          const double d = static_cast<double>(row[c]) - pivot[c];
          s[c] += d;
          q[c] += d * d;
        }
      },
      sum, squares);
  std::vector<float> a(static_cast<size_t>(channels)), b(static_cast<size_t>(channels));
  for (int64_t c = 0; c < channels; ++c) {
    const double shiftedMean = sum[c] / static_cast<double>(rows);
    mean[c] = static_cast<float>(pivot[c] + shiftedMean);
    variance[c] = static_cast<float>(std::max(0.0, squares[c] / static_cast<double>(rows) - shiftedMean * shiftedMean));
    a[c] = static_cast<float>(static_cast<double>(gamma[c]) / std::sqrt(static_cast<double>(variance[c]) + epsilon));
    b[c] = static_cast<float>(static_cast<double>(beta[c]) - static_cast<double>(mean[c]) * a[c]);
  }
#pragma omp parallel for schedule(static)
  for (int64_t r = 0; r < rows; ++r) {
    const float *in = x + r * channels;
    float *out = y + r * channels;
    for (int64_t c = 0; c < channels; ++c)
      out[c] = static_cast<float>(static_cast<double>(in[c]) * a[c] + static_cast<double>(b[c]));
  }
}

void batchNormBackward(const float *dy, const float *x, int64_t rows, int64_t channels, const float *gamma,
                       const float *mu, const float *sigma2, double epsilon, float *dx, float *dGamma, float *dBeta) {
  std::vector<double> invStd(static_cast<size_t>(channels)), sumDy, sumDyCentered;
  for (int64_t c = 0; c < channels; ++c) invStd[c] = 1.0 / std::sqrt(static_cast<double>(sigma2[c]) + epsilon);
  blockedChannelSums(
      rows, channels,
      [&](int64_t r, double *s, double *q) {
        const float *g = dy + r * channels;
        const float *in = x + r * channels;
        for (int64_t c = 0; c < channels; ++c) {
          s[c] += g[c];
          q[c] += static_cast<double>(g[c]) * (static_cast<double>(in[c]) - mu[c]);
        }
      },
      sumDy, sumDyCentered);
  std::vector<float> k(static_cast<size_t>(channels)), p(k.size()), q(k.size());
  for (int64_t c = 0; c < channels; ++c) {
    dBeta[c] = static_cast<float>(sumDy[c]);
    dGamma[c] = static_cast<float>(sumDyCentered[c] * invStd[c]);
    const double g = static_cast<double>(gamma[c]) * invStd[c];
    k[c] = static_cast<float>(g);
    p[c] = static_cast<float>((-g * dGamma[c] * invStd[c]) / static_cast<double>(rows));
    q[c] = static_cast<float>((-g * sumDy[c]) / static_cast<double>(rows) - static_cast<double>(p[c]) * mu[c]);
  }
#pragma omp parallel for schedule(static)
  for (int64_t r = 0; r < rows; ++r) {
    const float *g = dy + r * channels;
    const float *in = x + r * channels;
    float *out = dx + r * channels;
    for (int64_t c = 0; c < channels; ++c)
      out[c] = static_cast<float>(static_cast<double>(k[c]) * g[c] + static_cast<double>(p[c]) * in[c] +
                                  static_cast<double>(q[c]));
  }
}

void channelAffine(const float *x, int64_t rows, int64_t channels, const float *a, const float *b, float *y) {
#pragma omp parallel for schedule(static)
  for (int64_t r = 0; r < rows; ++r) {
    const float *in = x + r * channels;
    float *out = y + r * channels;
    for (int64_t c = 0; c < channels; ++c)
      out[c] = static_cast<float>(static_cast<double>(in[c]) * a[c] + static_cast<double>(b[c]));
  }
}

// y = x + bias per channel (the last axis): the same single float addition per element as TF.js's broadcasting Add
// (float + float, rounded once), so the same bits; one threaded pass instead of wasm's broadcasting loop.
void channelAdd(const float *x, int64_t rows, int64_t channels, const float *bias, float *y) {
#pragma omp parallel for schedule(static)
  for (int64_t r = 0; r < rows; ++r) {
    const float *in = x + r * channels;
    float *out = y + r * channels;
    for (int64_t c = 0; c < channels; ++c) out[c] = in[c] + bias[c];
  }
}

// dx = dy · step(x), ReLU's gradient in one pass. step as ONNX Runtime's Clip-and-Ceil computes it (the kernel this
// replaces on cpu), so the bits are the same: 1 above 0, 0 below, and ±0 and NaN passed through.
void reluGrad(const float *dy, const float *x, int64_t n, float *dx) {
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < n; ++i) {
    const float step = x[i] > 0.0f ? 1.0f : (x[i] < 0.0f ? 0.0f : x[i]);
    dx[i] = dy[i] * step;
  }
}

// MaxPoolGrad of 2×2 windows at stride 2 without padding (NHWC): each output's dy goes to the first strictly
// largest of its window's four inputs (row-major, from −∞: none when all are NaN or −∞), the others get 0 — the
// picks of src/js-kernels/pool-pairs.ts, which TF.js's own kernel makes. Windows do not overlap, so every input is
// written once; inputs no window covers (odd sides) are zeroed first. With AVX-512, 16 channels of a window at a time
// (the same comparisons as masks): 3.6 → 0.3 ms for a [54, 28, 28, 32] input, 1.4 → 0.13 ms for [54, 14, 14, 64] (one
// core, warm caches; same bits).
__attribute__((target("avx512f"))) void pairPoolGradChannels16(const float *x, const float *g, int64_t channels,
                                                               int64_t rowStride, int64_t p, float *dx) {
  const int64_t at[4] = {p, p + channels, p + rowStride, p + rowStride + channels};
  for (int64_t d = 0; d < channels; d += 16) {
    const __mmask16 lanes = lanesFor(channels - d);
    __m512 best = _mm512_set1_ps(-INFINITY);
    __mmask16 larger[4];
    for (int k = 0; k < 4; ++k) {
      const __m512 v = _mm512_maskz_loadu_ps(lanes, x + at[k] + d);
      larger[k] = _mm512_cmp_ps_mask(v, best, _CMP_GT_OQ);
      best = _mm512_mask_mov_ps(best, larger[k], v);
    }
    // The pick is the last window position that was larger than everything before it.
    __mmask16 later = 0;
    const __m512 grad = _mm512_maskz_loadu_ps(lanes, g + d);
    for (int k = 3; k >= 0; --k) {
      _mm512_mask_storeu_ps(dx + at[k] + d, lanes, _mm512_maskz_mov_ps(larger[k] & ~later, grad));
      later |= larger[k];
    }
  }
}

void pairPoolGrad(const float *x, const float *dy, int64_t batch, int64_t inHeight, int64_t inWidth,
                  int64_t channels, int64_t outHeight, int64_t outWidth, float *dx) {
  const int64_t rowStride = inWidth * channels;
  if (outHeight * 2 < inHeight || outWidth * 2 < inWidth) std::fill(dx, dx + batch * inHeight * rowStride, 0.0f);
  const bool vector = hasAvx512();
#pragma omp parallel for schedule(static)
  for (int64_t line = 0; line < batch * outHeight; ++line) {
    const int64_t b = line / outHeight, yr = line % outHeight;
    const int64_t rowBase = (b * inHeight + 2 * yr) * rowStride;
    const float *g = dy + line * outWidth * channels;
    for (int64_t yc = 0; yc < outWidth; ++yc, g += channels) {
      const int64_t p = rowBase + 2 * yc * channels;
      if (vector) {
        pairPoolGradChannels16(x, g, channels, rowStride, p, dx);
        continue;
      }
      for (int64_t d = 0; d < channels; ++d) {
        const int64_t at[4] = {p + d, p + channels + d, p + rowStride + d, p + rowStride + channels + d};
        float best = -INFINITY;
        int pick = -1;
        for (int k = 0; k < 4; ++k)
          if (x[at[k]] > best) {
            best = x[at[k]];
            pick = k;
          }
        for (int k = 0; k < 4; ++k) dx[at[k]] = k == pick ? g[d] : 0.0f;
      }
    }
  }
}

// ---- Dense products (BatchMatMul of one matrix pair) in ONNX Runtime's summation order ----
// ORT's Gemm runs on MLAS, which packs B for every call: for the few rows Square scores per query (a [5, 3136] by
// [3136, 200] head) that packing is most of its time (0.23-0.32 ms on ORT, 0.10-0.11 ms here; one core, warm
// caches), and each call through ORT costs ~50 µs more (a [2, 200] by [200, 200] product: 6 µs here). MLAS sums each
// output over K in blocks, each block's sum one fused multiply-add per k in order from zero, the blocks added to the
// output in order (measured against ORT 1.30 on avx512: every other block length leaves most outputs different). The
// block length depends on how many columns one MLAS thread computes (productBlockK), so the columns are split among
// ORT's threads as MLAS splits them. As with the convolution kernel above, the caller checks each shape once against
// ORT on random values.

// MLAS's K block for a thread computing `columns` columns (its MlasSgemmOperation strides: 128 by 128, the K stride
// doubled while the columns fit in half the N stride, or halved while K fits in half of it).
int64_t productBlockK(int64_t columns, int64_t depth, bool transA) {
  int64_t strideN = 128, strideK = 128;
  if (columns >= depth) {
    while (strideK / 2 >= depth) {
      strideN *= 2;
      strideK /= 2;
    }
  } else if (!transA) {
    while (strideN > 16 && strideN / 2 >= columns) {
      strideK *= 2;
      strideN /= 2;
    }
  }
  return strideK;
}

// The column ranges MLAS's threads take (MlasGemmBatch with one matrix): one thread per 64K multiply-adds up to
// `threads`, split along N in 16-column units when N > M (along M otherwise, which leaves each sum as it is).
std::vector<std::pair<int64_t, int64_t>> productColumnSlices(int64_t m, int64_t k, int64_t n, int64_t threads) {
  const double complexity = double(m) * double(n) * double(k);
  int64_t parts = std::min<int64_t>(threads, complexity < 65536.0 * 16 ? int64_t(complexity / 65536.0) + 1 : 16);
  const int64_t units = (n + 15) / 16;
  if (n <= m || parts <= 1) return {{0, n}};
  parts = std::min(parts, units);
  std::vector<std::pair<int64_t, int64_t>> slices;
  const int64_t each = units / parts, extra = units % parts;
  for (int64_t t = 0; t < parts; ++t) {
    const int64_t start = 16 * (t < extra ? t * (each + 1) : t * each + extra);
    const int64_t count = std::min(n - start, 16 * (t < extra ? each + 1 : each));
    if (count > 0) slices.push_back({start, count});
  }
  return slices;
}

constexpr int kPanelVectors = 4;
constexpr int64_t kPanelWidth = 16 * kPanelVectors;

// out rows [m0, m0 + R) × V vectors of the panel's columns (lanes outside `lanes` neither read nor written), for k in
// one block: each sum from zero, one FMA per k, then stored (first block) or added to out. The loops over rows and
// vectors are unrolled so the R × V sums stay in registers (without that GCC kept them on the stack: 2.5x slower).
template <int R, int V>
__attribute__((target("avx512f"))) void productTile(const float *a, int64_t rowStride, int64_t depthStride,
                                                    int64_t m0, int64_t k0, int64_t kCount, const float *panel,
                                                    int64_t panelStride, const __mmask16 *lanes, bool first,
                                                    float *out, int64_t n, int64_t n0) {
  __m512 acc[R][V];
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 8
    for (int v = 0; v < V; ++v) acc[r][v] = _mm512_setzero_ps();
  for (int64_t k = 0; k < kCount; ++k) {
    __m512 b[V];
#pragma GCC unroll 8
    for (int v = 0; v < V; ++v) b[v] = _mm512_maskz_loadu_ps(lanes[v], panel + k * panelStride + 16 * v);
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r) {
      const __m512 x = _mm512_set1_ps(a[(m0 + r) * rowStride + (k0 + k) * depthStride]);
#pragma GCC unroll 8
      for (int v = 0; v < V; ++v) acc[r][v] = _mm512_fmadd_ps(x, b[v], acc[r][v]);
    }
  }
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 8
    for (int v = 0; v < V; ++v) {
      float *at = out + (m0 + r) * n + n0 + 16 * v;
      const __m512 sum = first ? acc[r][v] : _mm512_add_ps(acc[r][v], _mm512_maskz_loadu_ps(lanes[v], at));
      _mm512_mask_storeu_ps(at, lanes[v], sum);
    }
}

// Rows [m0, m1) in tiles of up to 6 rows × V vectors.
template <int V>
__attribute__((target("avx512f"))) void productRows(const float *a, int64_t rowStride, int64_t depthStride,
                                                    int64_t m0, int64_t m1, int64_t k0, int64_t kCount,
                                                    const float *panel, int64_t panelStride, const __mmask16 *lanes,
                                                    bool first, float *out, int64_t n, int64_t n0) {
  int64_t r = m0;
#define SAT_TILE(R) \
  productTile<R, V>(a, rowStride, depthStride, r, k0, kCount, panel, panelStride, lanes, first, out, n, n0)
  for (; r + 6 <= m1; r += 6) SAT_TILE(6);
  switch (m1 - r) {
    case 5: SAT_TILE(5); break;
    case 4: SAT_TILE(4); break;
    case 3: SAT_TILE(3); break;
    case 2: SAT_TILE(2); break;
    case 1: SAT_TILE(1); break;
    default: break;
  }
#undef SAT_TILE
}

// Rows [m0, m1) × columns [n0, n0 + 16·kPanelVectors) (lanes: which exist) for k in [k0, k0 + kCount).
__attribute__((target("avx512f"))) void productPanel(const float *a, const float *b, int64_t m, int64_t k, int64_t n,
                                                     bool transA, bool transB, int64_t m0, int64_t m1, int64_t n0,
                                                     int64_t columns, int64_t k0, int64_t kCount, float *out) {
  const int64_t rowStride = transA ? 1 : k, depthStride = transA ? m : 1;
  __mmask16 lanes[kPanelVectors];
  for (int v = 0; v < kPanelVectors; ++v) lanes[v] = lanesFor(columns - 16 * v);
  // B's rows are read in place (packed first, as MLAS does, 54 rows by [3136, 200] took 1.15 ms against 0.88-0.91);
  // a transposed B is copied to rows of a panel first.
  const float *rows = b + k0 * n + n0;
  int64_t stride = n;
  static thread_local std::vector<float> packed;
  if (transB) {
    packed.resize(static_cast<size_t>(kCount * kPanelWidth));
    // Down each row of B (its k run contiguous), across the panel.
    for (int64_t j = 0; j < columns; ++j)
      for (int64_t i = 0; i < kCount; ++i) packed[i * kPanelWidth + j] = b[(n0 + j) * k + k0 + i];
    rows = packed.data();
    stride = kPanelWidth;
  }
  const bool first = k0 == 0;
  // As many vectors as the panel has columns (a 200-column product's last panel is one vector, not four).
  switch ((columns + 15) / 16) {
    case 1:
      productRows<1>(a, rowStride, depthStride, m0, m1, k0, kCount, rows, stride, lanes, first, out, n, n0);
      break;
    case 2:
      productRows<2>(a, rowStride, depthStride, m0, m1, k0, kCount, rows, stride, lanes, first, out, n, n0);
      break;
    case 3:
      productRows<3>(a, rowStride, depthStride, m0, m1, k0, kCount, rows, stride, lanes, first, out, n, n0);
      break;
    default: productRows<4>(a, rowStride, depthStride, m0, m1, k0, kCount, rows, stride, lanes, first, out, n, n0);
  }
}

// out [m, n] = op(a) · op(b) with op a transpose where asked (a: [m, k] or [k, m]; b: [k, n] or [n, k]), summed as
// ORT's Gemm with `threads` intra-op threads sums it. Each work item (a thread's column slice, or a range of rows when
// one slice has them all) goes through K block by block, all its panels per block, so a block of B comes from memory
// once (Square's [5, 3136] head during an evaluation: 0.31 -> 0.23 ms a call against panel by panel).
__attribute__((target("avx512f"))) void denseProduct(const float *a, const float *b, int64_t m, int64_t k, int64_t n,
                                                     bool transA, bool transB, int64_t threads, float *out) {
  struct Work {
    int64_t n0, columns, blockK, m0, m1;
  };
  std::vector<Work> work;
  const auto slices = productColumnSlices(m, k, n, threads);
  const bool parallel = double(m) * double(n) * double(k) > 4e6;
  const int64_t rowParts = parallel && slices.size() == 1 ? std::min<int64_t>(threads, (m + 5) / 6) : 1;
  for (const auto &[start, count] : slices)
    for (int64_t part = 0; part < rowParts; ++part) {
      // Row ranges in whole tiles of 6.
      const int64_t tiles = (m + 5) / 6, m0 = std::min(m, 6 * (tiles * part / rowParts));
      const int64_t m1 = std::min(m, 6 * (tiles * (part + 1) / rowParts));
      if (m1 > m0) work.push_back({start, count, productBlockK(count, k, transA), m0, m1});
    }
  const int64_t items = static_cast<int64_t>(work.size());
#pragma omp parallel for schedule(static) if (parallel)
  for (int64_t w = 0; w < items; ++w) {
    const Work &item = work[w];
    for (int64_t k0 = 0; k0 < k; k0 += item.blockK) {
      // The block's rows of B, asked for line by line in memory order first: the panels below read them in strided
      // 256-byte pieces, which the hardware prefetcher follows poorly when B is not in cache (a [5, 3136] by
      // [3136, 200] product after sweeping 32 MB: 0.38 -> 0.23 ms; 54 rows: 1.29 -> 1.10 ms).
      if (!transB) {
        const int64_t kEnd = std::min(k, k0 + item.blockK);
        for (int64_t i = k0; i < kEnd; ++i)
          for (int64_t j = item.n0; j < item.n0 + item.columns; j += 16) _mm_prefetch(b + i * n + j, _MM_HINT_T1);
      }
      for (int64_t n0 = item.n0; n0 < item.n0 + item.columns; n0 += kPanelWidth)
        productPanel(a, b, m, k, n, transA, transB, item.m0, item.m1, n0,
                     std::min(kPanelWidth, item.n0 + item.columns - n0), k0, std::min(item.blockK, k - k0), out);
    }
  }
}

// Calls denseProduct served (stats().ownDenseProduct).
size_t ownDenseProductCalls = 0;

// ---- N-API plumbing ----

struct Floats {
  float *data = nullptr;
  size_t length = 0;
};

bool throwIf(napi_env env, bool failed, const std::string &message) {
  if (failed) napi_throw_error(env, nullptr, ("tfjs-fast-kernels native: " + message).c_str());
  return failed;
}

bool floatsArg(napi_env env, napi_value value, const char *what, Floats *out) {
  bool isTyped = false;
  napi_is_typedarray(env, value, &isTyped);
  if (throwIf(env, !isTyped, std::string(what) + " must be a Float32Array")) return false;
  napi_typedarray_type type;
  void *data = nullptr;
  napi_get_typedarray_info(env, value, &type, &out->length, &data, nullptr, nullptr);
  if (throwIf(env, type != napi_float32_array, std::string(what) + " must be a Float32Array")) return false;
  out->data = static_cast<float *>(data);
  return true;
}

bool intsArg(napi_env env, napi_value value, size_t count, const char *what, int64_t *out) {
  bool isArray = false;
  napi_is_array(env, value, &isArray);
  uint32_t length = 0;
  if (isArray) napi_get_array_length(env, value, &length);
  if (throwIf(env, !isArray || length != count, std::string(what) + " must be an array of " + std::to_string(count)))
    return false;
  for (uint32_t i = 0; i < count; ++i) {
    napi_value element;
    napi_get_element(env, value, i, &element);
    if (throwIf(env, napi_get_value_int64(env, element, &out[i]) != napi_ok, std::string(what) + " holds a non-number"))
      return false;
  }
  return true;
}

size_t product(std::initializer_list<int64_t> dims) {
  size_t n = 1;
  for (int64_t d : dims) n *= static_cast<size_t>(d);
  return n;
}

// Whether singleChannelBackwardData gives oneDNN's bits for this backward-data plan, on random dy and filter of the
// call's sizes (not the call's own values, which may be too plain to tell two orders apart: all zeros, say).
bool ownKernelAgrees(ConvPlan &plan, const int64_t *g, size_t dySize, size_t filterSize) {
  std::vector<float> dy(dySize), filter(filterSize);
  std::vector<float> theirs(product({g[kBatch], g[kInH], g[kInW]})), ours(theirs.size());
  uint32_t state = 12345;
  auto next = [&state] {
    state = state * 1664525u + 1013904223u;
    return static_cast<float>(state >> 8) / 8388608.0f - 1.0f;  // uniform in [-1, 1)
  };
  for (float &v : dy) v = next();
  for (float &v : filter) v = next();
  auto &engine = cpuEngine();
  auto &stream = cpuStream();
  memory userWeights(plan.userWeights, engine, filter.data());
  memory &w = plan.reorderWeights ? *plan.weightsBuffer : userWeights;
  if (plan.reorderWeights) plan.weightsReorder.execute(stream, userWeights, w);
  memory dyMemory(plan.dst, engine, dy.data()), dxMemory(plan.src, engine, theirs.data());
  plan.conv.execute(stream, {{DNNL_ARG_DIFF_DST, dyMemory}, {DNNL_ARG_WEIGHTS, w}, {DNNL_ARG_DIFF_SRC, dxMemory}});
  stream.wait();
  singleChannelBackwardData(g, dy.data(), filter.data(), ours.data());
  return std::memcmp(ours.data(), theirs.data(), ours.size() * sizeof(float)) == 0;
}

// conv(kind, geometry, a, b, out): kind 0 y = conv(x=a, filter=b); 1 dx from (dy=a, filter=b); 2 dfilter from
// (x=a, dy=b). Throws (a JS Error) on wrong lengths instead of reading past a buffer.
napi_value Conv(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value args[5];
  napi_get_cb_info(env, info, &argc, args, nullptr, nullptr);
  if (throwIf(env, argc != 5, "conv takes (kind, geometry, a, b, out)")) return nullptr;
  int32_t kind = 0;
  napi_get_value_int32(env, args[0], &kind);
  if (throwIf(env, kind < 0 || kind > 2, "conv kind must be 0, 1 or 2")) return nullptr;
  int64_t g[kGeoCount];
  if (!intsArg(env, args[1], kGeoCount, "geometry", g)) return nullptr;
  for (int i = 0; i < kGeoCount; ++i)
    if (throwIf(env, g[i] < (i >= kTop ? 0 : 1), "geometry entry " + std::to_string(i) + " out of range"))
      return nullptr;
  Floats a, b, out;
  if (!floatsArg(env, args[2], "a", &a) || !floatsArg(env, args[3], "b", &b) || !floatsArg(env, args[4], "out", &out))
    return nullptr;
  const size_t xSize = product({g[kBatch], g[kInH], g[kInW], g[kInC]});
  const size_t ySize = product({g[kBatch], g[kOutH], g[kOutW], g[kOutC]});
  const size_t wSize = product({g[kFilterH], g[kFilterW], g[kInC], g[kOutC]});
  const size_t expected[3][3] = {{xSize, wSize, ySize}, {ySize, wSize, xSize}, {xSize, ySize, wSize}};
  if (throwIf(env, a.length != expected[kind][0] || b.length != expected[kind][1] || out.length != expected[kind][2],
              "conv buffer lengths do not match the geometry"))
    return nullptr;
  try {
    ConvPlan &plan = planCache().get(kind, g);
    auto &engine = cpuEngine();
    auto &stream = cpuStream();
    float *weights = kind == kBackwardWeights ? out.data : b.data;
    memory userWeights(plan.userWeights, engine, weights);
    memory &w = plan.reorderWeights ? *plan.weightsBuffer : userWeights;
    if (kind == kForward) {
      if (plan.reorderWeights) plan.weightsReorder.execute(stream, userWeights, w);
      memory x(plan.src, engine, a.data), y(plan.dst, engine, out.data);
      plan.conv.execute(stream, {{DNNL_ARG_SRC, x}, {DNNL_ARG_WEIGHTS, w}, {DNNL_ARG_DST, y}});
    } else if (kind == kBackwardData) {
      using Own = ConvPlan::OwnKernel;
      if (plan.ownKernel == Own::kUntested)
        plan.ownKernel =
            singleChannelEligible(g) && ownKernelAgrees(plan, g, a.length, b.length) ? Own::kSameBits : Own::kNo;
      if (plan.ownKernel == Own::kSameBits && ownKernelsOn) {
        singleChannelBackwardData(g, a.data, b.data, out.data);
        ++ownBackwardDataCalls;
        return nullptr;
      }
      if (plan.reorderWeights) plan.weightsReorder.execute(stream, userWeights, w);
      memory dy(plan.dst, engine, a.data), dx(plan.src, engine, out.data);
      plan.conv.execute(stream, {{DNNL_ARG_DIFF_DST, dy}, {DNNL_ARG_WEIGHTS, w}, {DNNL_ARG_DIFF_SRC, dx}});
    } else {
      memory x(plan.src, engine, a.data), dy(plan.dst, engine, b.data);
      plan.conv.execute(stream, {{DNNL_ARG_SRC, x}, {DNNL_ARG_DIFF_DST, dy}, {DNNL_ARG_DIFF_WEIGHTS, w}});
      if (plan.reorderWeights) plan.weightsReorder.execute(stream, w, userWeights);
    }
    stream.wait();
  } catch (const dnnl::error &e) {
    throwIf(env, true, std::string("oneDNN: ") + e.what());
    return nullptr;
  } catch (const std::exception &e) {
    throwIf(env, true, e.what());
    return nullptr;
  }
  return nullptr;
}

// Reads `count` Float32Array arguments after the leading numbers into views; false (with a JS error) on a bad one.
bool floatArgs(napi_env env, napi_value *args, size_t first, size_t count, Floats *out) {
  for (size_t i = 0; i < count; ++i) {
    const std::string what = "argument " + std::to_string(first + i);
    if (!floatsArg(env, args[first + i], what.c_str(), &out[i])) return false;
  }
  return true;
}

// Reads a call of N Float32Array arguments into f; false (with a JS error: `usage`) on another count or a bad one.
template <size_t N>
bool floatCall(napi_env env, napi_callback_info info, const char *usage, Floats (&f)[N]) {
  size_t argc = N;
  napi_value args[N];
  napi_get_cb_info(env, info, &argc, args, nullptr, nullptr);
  if (throwIf(env, argc != N, usage)) return false;
  return floatArgs(env, args, 0, N, f);
}

// Reads a call of (shape: G integers, then N Float32Arrays) into g and f; false (with a JS error) on a bad one.
template <size_t G, size_t N>
bool shapedFloatCall(napi_env env, napi_callback_info info, const char *usage, int64_t (&g)[G], Floats (&f)[N]) {
  size_t argc = N + 1;
  napi_value args[N + 1];
  napi_get_cb_info(env, info, &argc, args, nullptr, nullptr);
  if (throwIf(env, argc != N + 1, usage)) return false;
  return intsArg(env, args[0], G, "shape", g) && floatArgs(env, args, 1, N, f);
}

// batchNorm(epsilon, x, gamma, beta, y, mean, variance): the forward; channels = gamma's length.
napi_value BatchNorm(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value args[7];
  napi_get_cb_info(env, info, &argc, args, nullptr, nullptr);
  if (throwIf(env, argc != 7, "batchNorm takes (epsilon, x, gamma, beta, y, mean, variance)")) return nullptr;
  double epsilon = 0;
  napi_get_value_double(env, args[0], &epsilon);
  Floats f[6];
  if (!floatArgs(env, args, 1, 6, f)) return nullptr;
  const size_t channels = f[1].length;
  if (throwIf(env, channels == 0 || f[0].length % channels != 0 || f[0].length == 0 || f[2].length != channels ||
                       f[3].length != f[0].length || f[4].length != channels || f[5].length != channels,
              "batchNorm buffer lengths do not match"))
    return nullptr;
  batchNormForward(f[0].data, static_cast<int64_t>(f[0].length / channels), static_cast<int64_t>(channels), f[1].data,
                   f[2].data, epsilon, f[3].data, f[4].data, f[5].data);
  return nullptr;
}

// batchNormGrad(epsilon, dy, x, gamma, mean, variance, dx, dGamma, dBeta).
napi_value BatchNormGrad(napi_env env, napi_callback_info info) {
  size_t argc = 9;
  napi_value args[9];
  napi_get_cb_info(env, info, &argc, args, nullptr, nullptr);
  if (throwIf(env, argc != 9, "batchNormGrad takes (epsilon, dy, x, gamma, mean, variance, dx, dGamma, dBeta)"))
    return nullptr;
  double epsilon = 0;
  napi_get_value_double(env, args[0], &epsilon);
  Floats f[8];
  if (!floatArgs(env, args, 1, 8, f)) return nullptr;
  const size_t n = f[1].length, channels = f[2].length;
  bool ok = channels > 0 && n > 0 && n % channels == 0 && f[0].length == n && f[5].length == n;
  for (int i : {2, 3, 4, 6, 7}) ok = ok && f[i].length == channels;
  if (throwIf(env, !ok, "batchNormGrad buffer lengths do not match")) return nullptr;
  batchNormBackward(f[0].data, f[1].data, static_cast<int64_t>(n / channels), static_cast<int64_t>(channels), f[2].data,
                    f[3].data, f[4].data, epsilon, f[5].data, f[6].data, f[7].data);
  return nullptr;
}

// channelAffine(x, scale, shift, y): y = x·scale + shift per channel (the last axis).
napi_value ChannelAffine(napi_env env, napi_callback_info info) {
  Floats f[4];
  if (!floatCall(env, info, "channelAffine takes (x, scale, shift, y)", f)) return nullptr;
  const size_t n = f[0].length, channels = f[1].length;
  if (throwIf(env, channels == 0 || n % channels != 0 || f[2].length != channels || f[3].length != n,
              "channelAffine buffer lengths do not match"))
    return nullptr;
  channelAffine(f[0].data, static_cast<int64_t>(n / channels), static_cast<int64_t>(channels), f[1].data, f[2].data,
                f[3].data);
  return nullptr;
}

// channelAdd(x, bias, y): y = x + bias per channel (the last axis; channels = bias's length).
napi_value ChannelAdd(napi_env env, napi_callback_info info) {
  Floats f[3];
  if (!floatCall(env, info, "channelAdd takes (x, bias, y)", f)) return nullptr;
  const size_t n = f[0].length, channels = f[1].length;
  if (throwIf(env, channels == 0 || n % channels != 0 || f[2].length != n, "channelAdd buffer lengths do not match"))
    return nullptr;
  channelAdd(f[0].data, static_cast<int64_t>(n / channels), static_cast<int64_t>(channels), f[1].data, f[2].data);
  return nullptr;
}

// reluGrad(dy, x, dx): dx = dy · step(x), all of one length.
napi_value ReluGrad(napi_env env, napi_callback_info info) {
  Floats f[3];
  if (!floatCall(env, info, "reluGrad takes (dy, x, dx)", f)) return nullptr;
  if (throwIf(env, f[1].length != f[0].length || f[2].length != f[0].length, "reluGrad buffer lengths do not match"))
    return nullptr;
  reluGrad(f[0].data, f[1].data, static_cast<int64_t>(f[0].length), f[2].data);
  return nullptr;
}

// pairPoolGrad(shape, x, dy, dx): shape [batch, inHeight, inWidth, channels, outHeight, outWidth], with
// outHeight ≤ inHeight / 2 and outWidth ≤ inWidth / 2; x and dx of the input's size, dy of the output's.
napi_value PairPoolGrad(napi_env env, napi_callback_info info) {
  int64_t g[6];
  Floats f[3];
  if (!shapedFloatCall(env, info, "pairPoolGrad takes (shape, x, dy, dx)", g, f)) return nullptr;
  if (throwIf(env, std::any_of(g, g + 6, [](int64_t v) { return v < 1; }) || g[4] * 2 > g[1] || g[5] * 2 > g[2],
              "pairPoolGrad shape out of range"))
    return nullptr;
  const size_t in = product({g[0], g[1], g[2], g[3]}), out = product({g[0], g[4], g[5], g[3]});
  if (throwIf(env, f[0].length != in || f[1].length != out || f[2].length != in,
              "pairPoolGrad buffer lengths do not match the shape"))
    return nullptr;
  pairPoolGrad(f[0].data, f[1].data, g[0], g[1], g[2], g[3], g[4], g[5], f[2].data);
  return nullptr;
}

// denseProduct(shape, a, b, out): shape [m, k, n, transA, transB, threads]; out = op(a)·op(b) in ORT's Gemm order.
// Returns false (nothing written) where this build cannot (no AVX-512) or setOwnKernels(false) turned it off.
napi_value DenseProduct(napi_env env, napi_callback_info info) {
  int64_t g[6];
  Floats f[3];
  if (!shapedFloatCall(env, info, "denseProduct takes (shape, a, b, out)", g, f)) return nullptr;
  if (throwIf(env, g[0] < 1 || g[1] < 1 || g[2] < 1 || g[5] < 1, "denseProduct shape out of range")) return nullptr;
  const auto [m, k, n] = std::array<int64_t, 3>{g[0], g[1], g[2]};
  if (throwIf(env, f[0].length != size_t(m * k) || f[1].length != size_t(k * n) || f[2].length != size_t(m * n),
              "denseProduct buffer lengths do not match the shape"))
    return nullptr;
  napi_value served;
  const bool on = ownKernelsOn && hasAvx512();
  if (on) {
    denseProduct(f[0].data, f[1].data, m, k, n, g[3] != 0, g[4] != 0, g[5], f[2].data);
    ++ownDenseProductCalls;
  }
  napi_get_boolean(env, on, &served);
  return served;
}

napi_value NumberValue(napi_env env, double value) {
  napi_value result;
  napi_create_double(env, value, &result);
  return result;
}

napi_value StringValue(napi_env env, const std::string &value) {
  napi_value result;
  napi_create_string_utf8(env, value.c_str(), value.size(), &result);
  return result;
}

// stats(): { alive, created, capacity, lastImpl } of the plan cache (tests check it stays bounded), and the calls the
// own kernels served: ownBackwardData (singleChannelBackwardData) and ownDenseProduct (denseProduct).
napi_value Stats(napi_env env, napi_callback_info) {
  napi_value result;
  napi_create_object(env, &result);
  PlanCache &cache = planCache();
  napi_set_named_property(env, result, "alive", NumberValue(env, static_cast<double>(cache.alive())));
  napi_set_named_property(env, result, "created", NumberValue(env, static_cast<double>(cache.created())));
  napi_set_named_property(env, result, "capacity", NumberValue(env, static_cast<double>(cache.capacity())));
  napi_set_named_property(env, result, "lastImpl", StringValue(env, cache.lastImpl()));
  napi_set_named_property(env, result, "ownBackwardData", NumberValue(env, static_cast<double>(ownBackwardDataCalls)));
  napi_set_named_property(env, result, "ownDenseProduct", NumberValue(env, static_cast<double>(ownDenseProductCalls)));
  return result;
}

// setCacheCapacity(n): evicts down to n plans at once; clearCache(): drops every plan.
napi_value SetCacheCapacity(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value arg;
  napi_get_cb_info(env, info, &argc, &arg, nullptr, nullptr);
  int64_t capacity = 0;
  if (throwIf(env, argc != 1 || napi_get_value_int64(env, arg, &capacity) != napi_ok || capacity < 1,
              "setCacheCapacity takes a positive integer"))
    return nullptr;
  planCache().setCapacity(static_cast<size_t>(capacity));
  return nullptr;
}

napi_value SetOwnKernels(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value arg;
  napi_get_cb_info(env, info, &argc, &arg, nullptr, nullptr);
  if (throwIf(env, argc != 1 || napi_get_value_bool(env, arg, &ownKernelsOn) != napi_ok,
              "setOwnKernels takes true or false"))
    return nullptr;
  return nullptr;
}

napi_value ClearCache(napi_env, napi_callback_info) {
  planCache().clear();
  return nullptr;
}

const char *isaName(dnnl::cpu_isa isa) {
  switch (isa) {
    case dnnl::cpu_isa::sse41: return "sse41";
    case dnnl::cpu_isa::avx: return "avx";
    case dnnl::cpu_isa::avx2: return "avx2";
    case dnnl::cpu_isa::avx512_core: return "avx512_core";
    case dnnl::cpu_isa::avx512_core_vnni: return "avx512_core_vnni";
    case dnnl::cpu_isa::avx512_core_bf16: return "avx512_core_bf16";
    case dnnl::cpu_isa::avx512_core_amx: return "avx512_core_amx";
    default: return "other";
  }
}

napi_value Init(napi_env env, napi_value exports) {
  const dnnl_version_t *v = dnnl_version();
  std::string version =
      std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch);
  napi_set_named_property(env, exports, "dnnlVersion", StringValue(env, version));
  std::string isa;
  try {
    isa = isaName(dnnl::get_effective_cpu_isa());
  } catch (const dnnl::error &) {
    isa = "unknown";
  }
  napi_set_named_property(env, exports, "cpuIsa", StringValue(env, isa));
  napi_property_descriptor methods[] = {
      {"conv", nullptr, Conv, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"stats", nullptr, Stats, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setCacheCapacity", nullptr, SetCacheCapacity, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"clearCache", nullptr, ClearCache, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setOwnKernels", nullptr, SetOwnKernels, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"batchNorm", nullptr, BatchNorm, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"batchNormGrad", nullptr, BatchNormGrad, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"channelAffine", nullptr, ChannelAffine, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"channelAdd", nullptr, ChannelAdd, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"reluGrad", nullptr, ReluGrad, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"pairPoolGrad", nullptr, PairPoolGrad, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"denseProduct", nullptr, DenseProduct, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(methods) / sizeof(methods[0]), methods);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
