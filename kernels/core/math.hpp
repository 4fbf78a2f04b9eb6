// The activation formulas in fp32, shared word for word by the CUDA kernels
// and the CPU reference so that both evaluate the same sequence of fp32
// operations for fp32 I/O (kernels/cuda/fused_fp32.cu is built with
// --fmad=false: no contraction). They differ only where the device's
// expf/erfcf differ from the C library's, by a few fp32 ULPs at most. The
// fp16/bf16 kernels use faster forms (kernels/cuda/device_math.cuh).
//
// Each GELU variant uses a form without cancellation: 0.5*x*(1+tanh(u)) is
// written x/(1+exp(-2u)) and 0.5*x*(1+erf(x/sqrt2)) is 0.5*x*erfc(-x/sqrt2).
// Mathematically equal to PyTorch's formulas; more accurate for negative x.
#pragma once

#include <cmath>

#if defined(__CUDACC__)
#define KERNELS_HD __host__ __device__ __forceinline__
#else
#define KERNELS_HD inline
#endif

namespace kernels::gpu::math {

KERNELS_HD float silu(float x) { return x / (1.0f + expf(-x)); }

// GELU with erf (PyTorch approximate="none").
KERNELS_HD float gelu_erf(float x) { return 0.5f * x * erfcf(-x * 0.7071067811865476f); }

// GELU with tanh (PyTorch approximate="tanh", transformers NewGELU).
KERNELS_HD float gelu_tanh(float x) {
  float u = 0.7978845608028654f * (x + 0.044715f * x * x * x);
  return x / (1.0f + expf(-2.0f * u));
}

// transformers FastGELU: 0.5*x*(1+tanh(x*0.7978845608*(1+0.044715*x*x))).
KERNELS_HD float fast_gelu(float x) {
  float u = x * 0.7978845608f * (1.0f + 0.044715f * x * x);
  return x / (1.0f + expf(-2.0f * u));
}

// transformers QuickGELU: x*sigmoid(1.702*x).
KERNELS_HD float quick_gelu(float x) { return x / (1.0f + expf(-1.702f * x)); }

// vLLM FATReLU: x where x > threshold, else 0.
KERNELS_HD float fatrelu(float x, float threshold) { return x > threshold ? x : 0.0f; }

}  // namespace kernels::gpu::math
