// CPU references of every bundled kernel, for every dtype. They follow
// PyTorch's unfused numerics: the activation is computed in fp32 and rounded
// to the I/O dtype before the multiply (F.silu(x[..., :d]) * x[..., d:]);
// RMSNorm is Llama's (fp32 variance, normalised value rounded to the I/O
// dtype, then times the weight); FusedAddRMSNorm is vLLM's fused_add_rms_norm
// (residual <- x + residual rounded to the dtype; x <- RMSNorm(residual)).
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/core/call.hpp"

namespace kernels::gpu {

// Host buffers holding raw elements of the call's dtype.
struct HostBuffers {
  std::vector<uint8_t> x, out, weight, residual;
};

// Computes the call's outputs on the CPU: into `b.out`, or for FusedAddRMSNorm
// into `b.x` and `b.residual` in place. `call`'s pointers are ignored; sizes,
// eps and threshold are taken from it. Uses up to `threads` threads (0: all cores).
void reference(const KernelCall& call, HostBuffers& b, unsigned threads = 0);

// Allocates `b`'s buffers for the call's op, dtype and shape (out zeroed).
void size_buffers(const KernelCall& call, HostBuffers& b);

}  // namespace kernels::gpu
