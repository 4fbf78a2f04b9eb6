// Launching the bundled kernels on a CUDA stream (passed as void* so that
// callers need no CUDA headers). Every launch validates the call first.
#pragma once

#include <cstdint>

#include "kernels/core/call.hpp"
#include "util/result.hpp"

namespace kernels::gpu {

// The fused kernel: one pass over memory. Inputs need no particular
// alignment: 16-byte-aligned rows take the 128-bit path, others a scalar one.
Status launch(const KernelCall& call, void* stream = nullptr);

// The unfused reference: the same math split into one kernel per step, as
// PyTorch eager runs it (e.g. SiluAndMul: silu of the first half into a
// temporary, then a multiply). `scratch` must hold unfused_scratch_bytes().
// Stores the number of kernels launched in *launches.
Status launch_unfused(const KernelCall& call, void* scratch, void* stream, int* launches);
uint64_t unfused_scratch_bytes(Op op, DType t, uint64_t tokens, uint64_t width);

// An empty kernel, for measuring the launch floor.
void launch_empty(void* stream);

// Streaming copy kernels (copy.cu), for measuring the roof beside
// cudaMemcpyAsync: variant i of copy_kernel_count() copies `bytes` (a
// multiple of 16, both buffers 16-byte aligned) from src to dst.
int copy_kernel_count();
const char* copy_kernel_name(int i);
Status launch_copy_kernel(int i, const void* src, void* dst, uint64_t bytes, void* stream);

}  // namespace kernels::gpu
