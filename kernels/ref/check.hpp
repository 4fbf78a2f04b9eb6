// The host half of verification: deterministic inputs for a call, and the
// comparison of a device result with the CPU reference over every output.
#pragma once

#include <cstdint>

#include "kernels/ref/compare.hpp"
#include "kernels/ref/reference.hpp"

namespace kernels::gpu {

// x and residual ~N(0,1); weight uniform in [0.5, 1.5) (never all ones, so a
// kernel that ignores the weight fails).
void fill_inputs(const KernelCall& call, HostBuffers& b, uint64_t seed);

// Compares every output of the call: out, or for FusedAddRMSNorm both x and residual.
Comparison compare_outputs(const KernelCall& call, const HostBuffers& got, const HostBuffers& want);

}  // namespace kernels::gpu
