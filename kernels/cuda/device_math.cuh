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

template <class T> struct IO;
template <> struct IO<float> {
  static __device__ __forceinline__ float load(float v) { return v; }
  static __device__ __forceinline__ float store(float v) { return v; }
};
template <> struct IO<__half> {
  static __device__ __forceinline__ float load(__half v) { return __half2float(v); }
  static __device__ __forceinline__ __half store(float v) { return __float2half_rn(v); }
};
template <> struct IO<__nv_bfloat16> {
  static __device__ __forceinline__ float load(__nv_bfloat16 v) { return __bfloat162float(v); }
  static __device__ __forceinline__ __nv_bfloat16 store(float v) { return __float2bfloat16_rn(v); }
};

template <class T> __device__ __forceinline__ float ld(T v) { return IO<T>::load(v); }
template <class T> __device__ __forceinline__ T st(float v) { return IO<T>::store(v); }
template <class T> __device__ __forceinline__ float rnd(float v) { return IO<T>::load(IO<T>::store(v)); }

// Activations for fp16/bf16 I/O: the GPU's fast exp (ex2.approx) and
// division (relative error below 2^-21), and erf instead of erfc. Their fp32
// result differs from math.hpp's by far less than a 16-bit ULP, so at most a
// rare element rounds the other way (a 1-ULP difference, counted by the bench).
namespace fast {
__device__ __forceinline__ float sigmoid_mul(float x, float z) { return __fdividef(x, 1.0f + __expf(-z)); }
__device__ __forceinline__ float silu(float x) { return sigmoid_mul(x, x); }
__device__ __forceinline__ float gelu_erf(float x) { return 0.5f * x * (1.0f + erff(x * 0.7071067811865476f)); }
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
  if constexpr (OP == Op::MulAndSilu)
    return st<T>(ld(first) * rnd<T>(act<OP, T>(ld(second), threshold)));
  else
    return st<T>(rnd<T>(act<OP, T>(ld(first), threshold)) * ld(second));
}

inline bool aligned_to(const void* p, unsigned bytes) { return (reinterpret_cast<uintptr_t>(p) & (bytes - 1)) == 0; }
inline bool aligned16(const void* p) { return aligned_to(p, 16); }

inline Status cuda_status(cudaError_t e, const char* what) {
  if (e == cudaSuccess) return ok_status();
  return Error{"cuda", std::string(what) + ": " + cudaGetErrorString(e)};
}

}  // namespace kernels::gpu::dev
