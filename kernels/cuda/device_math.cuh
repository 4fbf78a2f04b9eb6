// Device-side element types: loading an fp32/fp16/bf16 element as fp32 and
// storing fp32 back with round-to-nearest-even, plus the activation per op.
#pragma once

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include "kernels/core/math.hpp"
#include "kernels/core/ops.hpp"
#include "util/result.hpp"

#include <cstdint>
#include <string>
#include <type_traits>

namespace kernels::gpu::dev {

template <class T>
struct IO;
template <>
struct IO<float> {
  static __device__ __forceinline__ float load(float v) { return v; }
  static __device__ __forceinline__ float store(float v) { return v; }
};
template <>
struct IO<__half> {
  static __device__ __forceinline__ float load(__half v) { return __half2float(v); }
  static __device__ __forceinline__ __half store(float v) { return __float2half_rn(v); }
};
template <>
struct IO<__nv_bfloat16> {
  static __device__ __forceinline__ float load(__nv_bfloat16 v) { return __bfloat162float(v); }
  static __device__ __forceinline__ __nv_bfloat16 store(float v) { return __float2bfloat16_rn(v); }
};

template <class T>
__device__ __forceinline__ float ld(T v) {
  return IO<T>::load(v);
}
template <class T>
__device__ __forceinline__ T st(float v) {
  return IO<T>::store(v);
}
template <class T>
__device__ __forceinline__ float rnd(float v) {
  return IO<T>::load(IO<T>::store(v));
}

// Activations for fp16/bf16 I/O: the GPU's fast exp (ex2.approx) and
// division (relative error below 2^-21), and a branch-free erfc. Their fp32
// result differs from math.hpp's by far less than a 16-bit ULP, so at most a
// rare element rounds the other way (a 1-ULP difference, counted by the bench).
namespace fast {
__device__ __forceinline__ float sigmoid_mul(float x, float z) { return __fdividef(x, 1.0f + __expf(-z)); }
__device__ __forceinline__ float silu(float x) { return sigmoid_mul(x, x); }

// The GPU's approximate 2^v and 1/v (MUFU), results below 2^-126 flushed to
// zero: one instruction each, without the scaling that the non-ftz forms add.
__device__ __forceinline__ float ex2_ftz(float v) {
  float r;
  asm("ex2.approx.ftz.f32 %0, %1;" : "=f"(r) : "f"(v));
  return r;
}
__device__ __forceinline__ float rcp_ftz(float v) {
  float r;
  asm("rcp.approx.ftz.f32 %0, %1;" : "=f"(r) : "f"(v));
  return r;
}

// The exact-erf GELU, x Phi(x), without erff. CUDA's erff has two polynomial
// branches that ptxas turns into selects, so every element paid for both,
// and GeluAndMul was the one activation bound by instructions on an H200
// (82-87% of cudaMemcpyAsync; about 25 instructions an element for erff).
// Here Phi(x) = erfc(a) / 2 for x <= 0 and 1 - erfc(a) / 2 for x > 0, with
// a = |x| / sqrt 2 and erfc(a) / 2 = t 2^(P(t) - a^2 log2 e), t = 1 / (1 + a/2):
// Numerical Recipes' erfcc form, with P of degree 7 fitted for this (Chebyshev
// interpolation of ln erfc(a) + a^2 - ln t over t in [1/6, 1], i.e. a <= 10;
// relative error about 1e-6), ln 2 (the halving) and log2 e folded into its
// coefficients. Measured on 4M points in [-12, 12): 572 of them round to
// another bf16 than the exact value would, 693 to another fp16 (erff's form:
// 1.26M and 230k, all in the tail where 1 + erf cancels). Results under 2^-126
// (x < -13.2) flush to zero.
__device__ __forceinline__ float gelu_erf(float x) {
  constexpr float kLog2e = 1.4426950408889634f;
  const float t = rcp_ftz(fmaf(0.35355339059327373f, fabsf(x), 1.0f));
  float p = -0.19474163f * kLog2e;
  p = fmaf(p, t, 0.780082931f * kLog2e);
  p = fmaf(p, t, -1.04894112f * kLog2e);
  p = fmaf(p, t, 0.392304935f * kLog2e);
  p = fmaf(p, t, -0.0609186538f * kLog2e);
  p = fmaf(p, t, 0.399914723f * kLog2e);
  p = fmaf(p, t, 0.997725689f * kLog2e);
  p = fmaf(p, t, (-1.26542778f - 0.69314718f) * kLog2e);
  const float half_erfc = t * ex2_ftz(fmaf(-x, x * (0.5f * kLog2e), p));
  const float xh = x * half_erfc;
  return x > 0.0f ? x - xh : xh;
}
__device__ __forceinline__ float gelu_tanh(float x) {
  return sigmoid_mul(x, 2.0f * 0.7978845608028654f * (x + 0.044715f * x * x * x));
}
__device__ __forceinline__ float fast_gelu(float x) {
  return sigmoid_mul(x, 2.0f * x * 0.7978845608f * (1.0f + 0.044715f * x * x));
}
__device__ __forceinline__ float quick_gelu(float x) { return sigmoid_mul(x, 1.702f * x); }
}  // namespace fast

// fp32 I/O uses math.hpp exactly (the CPU reference's formulas); 16-bit I/O the fast forms.
template <Op OP, bool EXACT>
__device__ __forceinline__ float activation(float x, float threshold) {
  if constexpr (OP == Op::FatreluAndMul) return math::fatrelu(x, threshold);
  else if constexpr (EXACT) {
    if constexpr (OP == Op::SiluAndMul || OP == Op::MulAndSilu) return math::silu(x);
    else if constexpr (OP == Op::GeluAndMul) return math::gelu_erf(x);
    else if constexpr (OP == Op::GeluTanhAndMul || OP == Op::NewGELU) return math::gelu_tanh(x);
    else if constexpr (OP == Op::FastGELU) return math::fast_gelu(x);
    else if constexpr (OP == Op::QuickGELU) return math::quick_gelu(x);
    else return x;
  } else {
    if constexpr (OP == Op::SiluAndMul || OP == Op::MulAndSilu) return fast::silu(x);
    else if constexpr (OP == Op::GeluAndMul) return fast::gelu_erf(x);
    else if constexpr (OP == Op::GeluTanhAndMul || OP == Op::NewGELU) return fast::gelu_tanh(x);
    else if constexpr (OP == Op::FastGELU) return fast::fast_gelu(x);
    else if constexpr (OP == Op::QuickGELU) return fast::quick_gelu(x);
    else return x;
  }
}

template <Op OP, class T>
__device__ __forceinline__ float act(float x, float threshold) {
  return activation<OP, std::is_same_v<T, float>>(x, threshold);
}

// One output element of a gated op from its two halves, PyTorch rounding:
// the activation is rounded to T before the multiply.
template <Op OP, class T>
__device__ __forceinline__ T gated(T first, T second, float threshold) {
  if constexpr (OP == Op::MulAndSilu) return st<T>(ld(first) * rnd<T>(act<OP, T>(ld(second), threshold)));
  else return st<T>(rnd<T>(act<OP, T>(ld(first), threshold)) * ld(second));
}

// Two outputs of a gated op in 16-bit T at once: the activations rounded to T
// as a pair, then multiplied by the pair of the other half (HMUL2). The
// product of two 16-bit values is exact in fp32, so its one rounding gives
// the bits of gated<OP, T>, with two fewer conversions and one multiply for
// two elements.
template <class T>
struct Pair;
template <>
struct Pair<__half> {
  using type = __half2;
  static __device__ __forceinline__ type of(__half a, __half b) { return __halves2half2(a, b); }
  static __device__ __forceinline__ type rounded(float a, float b) { return __floats2half2_rn(a, b); }
};
template <>
struct Pair<__nv_bfloat16> {
  using type = __nv_bfloat162;
  static __device__ __forceinline__ type of(__nv_bfloat16 a, __nv_bfloat16 b) { return __halves2bfloat162(a, b); }
  static __device__ __forceinline__ type rounded(float a, float b) { return __floats2bfloat162_rn(a, b); }
};

template <Op OP, class T>
__device__ __forceinline__ void gated_pair(const T* first, const T* second, T* out, float threshold) {
  static_assert(OP != Op::MulAndSilu, "the activation is on the first half");
  using P = Pair<T>;
  const auto r = __hmul2(P::rounded(act<OP, T>(ld(first[0]), threshold), act<OP, T>(ld(first[1]), threshold)),
                         P::of(second[0], second[1]));
  out[0] = r.x;
  out[1] = r.y;
}

inline bool aligned_to(const void* p, unsigned bytes) { return (reinterpret_cast<uintptr_t>(p) & (bytes - 1)) == 0; }
inline bool aligned16(const void* p) { return aligned_to(p, 16); }

inline Status cuda_status(cudaError_t e, const char* what) {
  if (e == cudaSuccess) return ok_status();
  return Error{ErrorCode::cuda, std::string(what) + ": " + cudaGetErrorString(e)};
}

}  // namespace kernels::gpu::dev
