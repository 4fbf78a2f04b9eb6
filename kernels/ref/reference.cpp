#include "kernels/ref/reference.hpp"

#include <cmath>

#include "kernels/core/math.hpp"
#include "kernels/ref/elements.hpp"
#include "kernels/ref/parallel.hpp"

namespace kernels::gpu {
namespace {

float activation(Op op, float x, float threshold) {
  switch (op) {
    case Op::SiluAndMul:
    case Op::MulAndSilu: return math::silu(x);
    case Op::GeluAndMul: return math::gelu_erf(x);
    case Op::GeluTanhAndMul: return math::gelu_tanh(x);
    case Op::FatreluAndMul: return math::fatrelu(x, threshold);
    case Op::FastGELU: return math::fast_gelu(x);
    case Op::NewGELU: return math::gelu_tanh(x);
    case Op::QuickGELU: return math::quick_gelu(x);
    default: return x;
  }
}

void gated(const KernelCall& c, HostBuffers& b, unsigned threads) {
  const uint64_t d = static_cast<uint64_t>(c.width);
  const DType t = c.dtype;
  parallel_for(static_cast<uint64_t>(c.tokens), threads, [&](uint64_t lo, uint64_t hi) {
    for (uint64_t r = lo; r < hi; ++r) {
      for (uint64_t j = 0; j < d; ++j) {
        float first = load_element(t, b.x.data(), r * 2 * d + j);
        float second = load_element(t, b.x.data(), r * 2 * d + d + j);
        float v;
        if (c.op == Op::MulAndSilu) {
          v = first * round_to(t, activation(c.op, second, c.threshold));
        } else {
          v = round_to(t, activation(c.op, first, c.threshold)) * second;
        }
        store_element(t, b.out.data(), r * d + j, v);
      }
    }
  });
}

void elementwise(const KernelCall& c, HostBuffers& b, unsigned threads) {
  const uint64_t n = static_cast<uint64_t>(c.tokens) * static_cast<uint64_t>(c.width);
  parallel_for(n, threads, [&](uint64_t lo, uint64_t hi) {
    for (uint64_t i = lo; i < hi; ++i)
      store_element(c.dtype, b.out.data(), i, activation(c.op, load_element(c.dtype, b.x.data(), i), c.threshold));
  });
}

void norm(const KernelCall& c, HostBuffers& b, unsigned threads) {
  const uint64_t h = static_cast<uint64_t>(c.width);
  const DType t = c.dtype;
  const bool fused = c.op == Op::FusedAddRMSNorm;
  parallel_for(static_cast<uint64_t>(c.tokens), threads, [&](uint64_t lo, uint64_t hi) {
    std::vector<float> row(h);
    for (uint64_t r = lo; r < hi; ++r) {
      double sum = 0.0;
      for (uint64_t j = 0; j < h; ++j) {
        float v = load_element(t, b.x.data(), r * h + j);
        if (fused) {
          v = round_to(t, v + load_element(t, b.residual.data(), r * h + j));
          store_element(t, b.residual.data(), r * h + j, v);
        }
        row[j] = v;
        sum += static_cast<double>(v) * static_cast<double>(v);
      }
      float variance = static_cast<float>(sum / static_cast<double>(h));
      float inv = 1.0f / std::sqrt(variance + c.eps);
      void* dst = fused ? b.x.data() : b.out.data();
      for (uint64_t j = 0; j < h; ++j) {
        float normed = round_to(t, row[j] * inv);
        store_element(t, dst, r * h + j, normed * load_element(t, b.weight.data(), j));
      }
    }
  });
}

}  // namespace

void size_buffers(const KernelCall& c, HostBuffers& b) {
  BufferSizes s = buffer_sizes(c.op, static_cast<uint64_t>(c.tokens), static_cast<uint64_t>(c.width));
  size_t e = dtype_size(c.dtype);
  b.x.assign(s.in * e, 0);
  b.out.assign(s.out * e, 0);
  b.weight.assign(s.weight * e, 0);
  b.residual.assign(s.residual * e, 0);
}

void reference(const KernelCall& c, HostBuffers& b, unsigned threads) {
  switch (op_kind(c.op)) {
    case OpKind::Gated: gated(c, b, threads); break;
    case OpKind::Elementwise: elementwise(c, b, threads); break;
    case OpKind::Norm: norm(c, b, threads); break;
  }
}

}  // namespace kernels::gpu
