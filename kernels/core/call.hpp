// One call of a bundled kernel: what it reads and writes. Plain C++, so the
// checks run (and are tested) without a GPU; kernels/cuda launches it.
#pragma once

#include <cstdint>

#include "kernels/core/dtype.hpp"
#include "kernels/core/ops.hpp"
#include "util/result.hpp"

namespace kernels::gpu {

struct KernelCall {
  Op op = Op::SiluAndMul;
  DType dtype = DType::BF16;
  int64_t tokens = 0;            // T
  int64_t width = 0;             // D (gated: the output width; the input is 2D wide)
  void* x = nullptr;             // input; FusedAddRMSNorm writes its result here
  void* out = nullptr;           // output (unused by FusedAddRMSNorm)
  const void* weight = nullptr;  // [D], the norms only
  void* residual = nullptr;      // [T, D], FusedAddRMSNorm only (updated in place)
  int64_t x_row_stride = -1;     // elements between rows of x; -1 means contiguous
  int64_t out_row_stride = -1;   // elements between rows of out (and residual); -1 means contiguous
  float eps = 1e-6f;             // the norms
  float threshold = 0.0f;        // FatreluAndMul
};

// Checks sizes, pointers and layout; errors say what is wrong and how to fix it.
Status validate(const KernelCall& call);

}  // namespace kernels::gpu
